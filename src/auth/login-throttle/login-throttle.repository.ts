import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FailureCount } from './login-throttle-policy';

interface CountRow {
  key: string;
  failures: number;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

@Injectable()
export class LoginThrottleRepository {
  /** Locks the counters of these keys (creating empty ones) until the transaction ends; returns them and the database's time. */
  async lockCounts(manager: EntityManager, keys: string[]): Promise<{ now: Date; counts: Map<string, FailureCount> }> {
    const sorted = [...new Set(keys)].sort();
    // Sorted, so two logins sharing a key lock in the same order and cannot deadlock. DO UPDATE (not DO NOTHING) locks
    // an existing row here: otherwise a login that succeeds meanwhile deletes it before the SELECT below sees it.
    await manager.query(
      `INSERT INTO login_throttle (key, failures, last_failure_at) SELECT key, 0, now() FROM unnest($1::text[]) AS key ORDER BY key
         ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures`,
      [sorted],
    );
    const rows: CountRow[] = await manager.query(
      `SELECT key, failures, last_failure_at AS "lastFailureAt", blocked_until AS "blockedUntil"
         FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
      [sorted],
    );
    const [{ now }] = await manager.query('SELECT now() AS now');
    return { now, counts: new Map(rows.map((row) => [row.key, { failures: row.failures, lastFailureAt: row.lastFailureAt, blockedUntil: row.blockedUntil }])) };
  }

  async store(manager: EntityManager, key: string, count: FailureCount): Promise<void> {
    await manager.query('UPDATE login_throttle SET failures = $2, last_failure_at = $3, blocked_until = $4 WHERE key = $1', [key, count.failures, count.lastFailureAt, count.blockedUntil]);
  }

  /** Takes back one counted attempt; the block it set, if no later attempt replaced it, goes too. */
  async takeBack(manager: EntityManager, key: string, blockedUntil: Date | null): Promise<void> {
    await manager.query(
      `UPDATE login_throttle SET failures = greatest(failures - 1, 0),
              blocked_until = CASE WHEN blocked_until IS NOT DISTINCT FROM $2 THEN NULL ELSE blocked_until END
        WHERE key = $1`,
      [key, blockedUntil],
    );
  }

  async forget(manager: EntityManager, key: string): Promise<void> {
    await manager.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }

  /** Counters whose window has passed hold nothing more; without this a spray of made-up emails would only grow. */
  async deleteStale(manager: EntityManager, windowSeconds: number): Promise<number> {
    const [, affected] = await manager.query(
      `DELETE FROM login_throttle WHERE last_failure_at < now() - make_interval(secs => $1) AND (blocked_until IS NULL OR blocked_until < now())`,
      [windowSeconds],
    );
    return affected ?? 0;
  }
}
