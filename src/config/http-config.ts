import { ConfigError, flag, integer, isProduction } from './app-config';

export interface HttpConfig {
  /** NODE_ENV=production: no CORS unless origins are listed. */
  production: boolean;
  /** Longest a request may take from arrival to answer; past it the caller gets a 503 problem. */
  requestTimeoutMs: number;
  /** PostgreSQL cancels any single statement of the app's pool that runs longer (also while it waits for a lock). */
  statementTimeoutMs: number;
  /** PostgreSQL ends a session that sits inside an open transaction doing nothing for longer. */
  idleInTransactionTimeoutMs: number;
  /** Largest JSON (or other non-email) request body. */
  bodyLimitBytes: number;
  /**
   * How much of an oversized body is read and thrown away so the client, still sending, can read the 413; past it the
   * connection is closed instead.
   */
  oversizedBodyDrainBytes: number;
  /** `*` (any origin), or the exact origins allowed to call from a browser; empty means no CORS headers at all. */
  corsOrigins: '*' | string[];
  /** Whether /docs and /openapi.json are served. */
  docsEnabled: boolean;
}

const MiB = 1024 * 1024;

function corsOrigins(env: NodeJS.ProcessEnv, production: boolean): '*' | string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined) return production ? [] : '*';
  if (raw.trim() === '*') return '*';
  const origins = raw.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      // reported below
    }
    // A browser sends Origin as scheme://host[:port] exactly; anything else in the list would never match.
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', `must be * or a comma-separated list of origins like https://app.example.com (no path or trailing slash), got "${origin}"`);
    }
  }
  return origins;
}

export function httpConfig(env: NodeJS.ProcessEnv): HttpConfig {
  const production = isProduction(env);
  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  const statementTimeoutMs = integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 1, 600_000);
  return {
    production,
    requestTimeoutMs,
    statementTimeoutMs,
    idleInTransactionTimeoutMs: integer(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 30_000, 100, 3_600_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', MiB, 1024, 100 * MiB),
    oversizedBodyDrainBytes: integer(env, 'OVERSIZED_BODY_DRAIN_BYTES', 8 * MiB, 0, 100 * MiB),
    corsOrigins: corsOrigins(env, production),
    docsEnabled: flag(env, 'DOCS_ENABLED', true),
  };
}
