import { integer } from './app-config';

/** Agent presence and GraphQL subscriptions over WebSocket (graphql-ws at /graphql). */
export interface RealtimePushConfig {
  /** How long a PUT /v1/tickets/:id/presence keeps the agent on the ticket; refresh before it runs out to stay. */
  presenceTtlSeconds: number;
  /** Subscriptions one WebSocket may run at once; one more is refused with an error, the others keep running. */
  maxSubscriptionsPerConnection: number;
  /** WebSockets one workspace may hold open on one instance; one more is closed at connection_init. */
  maxConnectionsPerWorkspace: number;
  /** A socket that sends no connection_init within this is closed (4408), so unauthenticated sockets cannot pile up. */
  connectionInitTimeoutMs: number;
  /** Interval of WebSocket pings; a peer that misses a pong for one interval is dropped. 0 turns pings off. */
  keepAliveMs: number;
  /** How often a socket's credential is checked again, so a revoked key or ended session closes it (an access token also closes at its exp). */
  authRecheckSeconds: number;
  /** Messages queued for one slow subscription before its socket is closed (the client resumes with after:). */
  maxQueuedMessages: number;
}

export function realtimePushConfig(env: NodeJS.ProcessEnv): RealtimePushConfig {
  return {
    presenceTtlSeconds: integer(env, 'PRESENCE_TTL_SECONDS', 30, 2, 3600),
    maxSubscriptionsPerConnection: integer(env, 'GRAPHQL_WS_MAX_SUBSCRIPTIONS', 25, 1, 1000),
    maxConnectionsPerWorkspace: integer(env, 'GRAPHQL_WS_MAX_CONNECTIONS_PER_WORKSPACE', 2000, 1, 1_000_000),
    connectionInitTimeoutMs: integer(env, 'GRAPHQL_WS_CONNECTION_INIT_TIMEOUT_MS', 10_000, 100, 120_000),
    keepAliveMs: integer(env, 'GRAPHQL_WS_KEEPALIVE_MS', 15_000, 0, 600_000),
    authRecheckSeconds: integer(env, 'REALTIME_AUTH_RECHECK_SECONDS', 30, 1, 3600),
    maxQueuedMessages: integer(env, 'GRAPHQL_WS_MAX_QUEUED_MESSAGES', 1000, 10, 1_000_000),
  };
}
