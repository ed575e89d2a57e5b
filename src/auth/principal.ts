export type Role = 'admin' | 'agent';
export const ROLES: Role[] = ['admin', 'agent'];
export const PLATFORM_SCOPE = 'platform';

/** Who is calling: the first argument of every service method, so tenancy cannot be forgotten. */
export interface Principal {
  workspaceId: string;
  role: Role;
  scopes: string[];
  actor: { type: 'agent' | 'api_key'; id: string; name: string };
  /** The agent this caller acts as: the logged-in agent, or the agent an API key is bound to. */
  agentId: string | null;
}

/** Work the system does on its own (bootstrap, schedulers) rather than on behalf of a caller. */
export function systemPrincipal(workspaceId: string): Principal {
  return { workspaceId, role: 'admin', scopes: [], actor: { type: 'api_key', id: '00000000-0000-0000-0000-000000000000', name: 'system' }, agentId: null };
}

export const RoleEnum = { admin: 'admin', agent: 'agent' } as const;
