import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '../../auth/principal';

/** A requester signed in to the portal: the context of every portal service method. */
export interface PortalSession {
  workspaceId: string;
  contactId: string;
  contactName: string | null;
}

export interface PortalRequest {
  headers: Record<string, string | string[] | undefined>;
  portalSession?: PortalSession;
}

export const CurrentPortalSession = createParamDecorator((_: unknown, context: ExecutionContext): PortalSession => {
  const session = context.switchToHttp().getRequest<PortalRequest>().portalSession;
  if (!session) throw new Error('CurrentPortalSession used on a route without the PortalGuard');
  return session;
});

/**
 * The principal the ticket services see for a portal request: the requester as actor, so history and webhooks say
 * who did it. The admin role only lets ConversationService accept a requester-authored message (authorContactId);
 * it never reaches a guard, and the portal services check that every ticket touched is the session contact's own.
 */
export function actingAsRequester(session: PortalSession): Principal {
  return {
    workspaceId: session.workspaceId,
    role: 'admin',
    scopes: [],
    // Principal's actor type names callers of the agent API; a requester is widened in here, where the portal acts.
    actor: { type: 'contact' as Principal['actor']['type'], id: session.contactId, name: session.contactName ?? 'requester' },
    agentId: null,
  };
}
