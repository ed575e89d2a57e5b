import { integer } from './app-config';

/** The event feed, its retention, and the live streams over it (REST long-poll, server-sent events). */
export interface RealtimeConfig {
  /** Events older than this are deleted; a cursor from before the cut answers 410. */
  eventRetentionDays: number;
  /** How often this instance deletes expired events (every instance may; batches skip each other's rows). */
  retentionIntervalMs: number;
  /** Longest `wait` a long-poll may ask for; also kept below REQUEST_TIMEOUT_MS by the feed. */
  maxWaitSeconds: number;
  /** A comment line on every idle stream this often, so proxies and clients see it alive. */
  heartbeatMs: number;
  /** A stream whose unsent bytes pass this is closed (the client resumes from its last id) instead of growing memory. */
  streamMaxBufferedBytes: number;
  /** How often a stream re-checks its credential (revoked key, ended session, deactivated agent). */
  authRecheckMs: number;
  /** Events one read of the feed returns at most, for wake-ups and stream catch-up alike. */
  readBatch: number;
}

export function realtimeConfig(env: NodeJS.ProcessEnv): RealtimeConfig {
  return {
    eventRetentionDays: integer(env, 'EVENT_RETENTION_DAYS', 30, 1, 3650),
    retentionIntervalMs: integer(env, 'EVENT_RETENTION_INTERVAL_MS', 3_600_000, 1000, 86_400_000),
    maxWaitSeconds: integer(env, 'EVENTS_MAX_WAIT_SECONDS', 30, 0, 300),
    heartbeatMs: integer(env, 'STREAM_HEARTBEAT_MS', 15_000, 50, 300_000),
    streamMaxBufferedBytes: integer(env, 'STREAM_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    authRecheckMs: integer(env, 'STREAM_AUTH_RECHECK_MS', 30_000, 50, 3_600_000),
    readBatch: integer(env, 'EVENTS_READ_BATCH', 500, 10, 10_000),
  };
}
