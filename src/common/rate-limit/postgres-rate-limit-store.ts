import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HitCallback, RateLimitStore } from './rate-limit-store';

interface PendingBucket {
  windowMs: number;
  callbacks: HitCallback[];
}

interface CounterRow {
  bucket: string;
  hits: number;
  window_start_ms: number;
  now_ms: number;
}

// One statement counts every hit gathered since the last flush, across buckets and concurrent requests: the per-IP
// and per-credential hits of one request land in the same statement. Windows are fixed and aligned to the database's
// clock, so every instance agrees on where a window starts whatever its own clock says. Rows are locked in bucket
// order, so two instances' statements over the same buckets queue behind each other instead of deadlocking.
const COUNT_HITS = `
  INSERT INTO rate_limit_counters AS counter (bucket, window_start, hits)
  SELECT bucket, to_timestamp(floor(extract(epoch FROM now()) * 1000 / window_ms) * window_ms / 1000), hits
  FROM unnest($1::text[], $2::int[], $3::int[]) AS hit(bucket, window_ms, hits)
  ORDER BY bucket
  ON CONFLICT (bucket, window_start) DO UPDATE SET hits = counter.hits + excluded.hits
  RETURNING bucket, hits, (extract(epoch FROM window_start) * 1000)::float8 AS window_start_ms, (extract(epoch FROM now()) * 1000)::float8 AS now_ms`;

const SWEEP_ENDED_WINDOWS = `DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => $1)`;

/** Counters in the rate_limit_counters table, shared by every instance on the database. */
export class PostgresRateLimitStore implements RateLimitStore {
  private readonly logger = new Logger('RateLimits');
  private pending = new Map<string, PendingBucket>();
  private flushScheduled = false;
  private flushing = false;
  private readonly sweeper: NodeJS.Timeout;
  private lastWarning = 0;

  constructor(private readonly db: DataSource, windowSeconds: number) {
    // Every instance sweeps once a window (at least once a minute); the delete is idempotent and reads a table of
    // about two windows of buckets.
    this.sweeper = setInterval(() => void this.sweep(windowSeconds), Math.min(windowSeconds, 60) * 1000);
    this.sweeper.unref();
  }

  incr(bucket: string, callback: HitCallback, windowMs: number): void {
    const pending = this.pending.get(bucket);
    if (pending) pending.callbacks.push(callback);
    else this.pending.set(bucket, { windowMs, callbacks: [callback] });
    this.scheduleFlush();
  }

  child(): RateLimitStore {
    return this;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  // One statement in flight at a time: hits that arrive meanwhile wait for it and go together in the next, so under
  // load the rows of a busy bucket are updated once per round trip instead of by statements queued on their locks.
  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    // After this turn's I/O callbacks, so every request that arrived together shares the statement.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.flushScheduled = false;
    this.flushing = true;
    try {
      await this.countHits(batch);
    } finally {
      this.flushing = false;
      if (this.pending.size > 0) this.scheduleFlush();
    }
  }

  private async countHits(batch: Map<string, PendingBucket>): Promise<void> {
    const buckets = [...batch.keys()];
    try {
      const rows: CounterRow[] = await this.db.query(COUNT_HITS, [
        buckets,
        buckets.map((bucket) => batch.get(bucket)!.windowMs),
        buckets.map((bucket) => batch.get(bucket)!.callbacks.length),
      ]);
      for (const row of rows) {
        const { windowMs, callbacks } = batch.get(row.bucket)!;
        const ttl = Math.max(1, Math.ceil(row.window_start_ms + windowMs - row.now_ms));
        // Hits of one batch are told apart as if they had arrived one after the other.
        callbacks.forEach((callback, index) => callback(null, { current: row.hits - callbacks.length + 1 + index, ttl }));
      }
    } catch (error) {
      this.warn(error);
      for (const { callbacks } of batch.values()) for (const callback of callbacks) callback(error as Error);
    }
  }

  private async sweep(windowSeconds: number): Promise<void> {
    try {
      await this.db.query(SWEEP_ENDED_WINDOWS, [windowSeconds]);
    } catch (error) {
      this.warn(error);
    }
  }

  // An unreachable database fails every request anyway; one line per ten seconds says so without flooding the log.
  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Rate-limit counters unavailable, requests pass uncounted: ${(error as Error).message}`);
  }
}
