import { timingSafeEqual } from 'node:crypto';
import { integer } from './app-config';

export interface ObservabilityConfig {
  /** Sensitive: never logged. When set, `GET /metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** `GET /health/ready` reports the webhook backlog as degraded once its oldest pending event is older than this. */
  readyBacklogSeconds: number;
}

export function observabilityConfig(env: NodeJS.ProcessEnv): ObservabilityConfig {
  return {
    metricsToken: env.METRICS_TOKEN || null,
    readyBacklogSeconds: integer(env, 'READY_BACKLOG_SECONDS', 300, 1, 86_400),
  };
}

/** Compares in constant time, so the token cannot be guessed a byte at a time from response times. */
export function presentsToken(expected: string, authorization: string | string[] | undefined): boolean {
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
