/** What one counter (an account or a client address) has recorded so far. */
export interface FailureCount {
  failures: number;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

export interface ThrottleRule {
  /** Failures before each further attempt must wait; the wait doubles from 1 s, capped at the window. */
  maxFailuresBeforeDelay: number;
  failureWindowSeconds: number;
}

/** Whole seconds the caller must still wait, or 0 when an attempt may be made now. */
export function secondsToWait(count: FailureCount, now: Date): number {
  if (!count.blockedUntil || count.blockedUntil.getTime() <= now.getTime()) return 0;
  return Math.ceil((count.blockedUntil.getTime() - now.getTime()) / 1000);
}

/**
 * Counts an attempt as a failure before the password is checked, so that parallel guesses cannot all pass the
 * check before any of them is recorded; a success takes it back. From the threshold on, each failure blocks the
 * next attempt for 1 s, 2 s, 4 s... and the count starts again once a whole window passes without a failure.
 */
export function countAttempt(count: FailureCount, rule: ThrottleRule, now: Date): FailureCount {
  const stale = now.getTime() - count.lastFailureAt.getTime() >= rule.failureWindowSeconds * 1000;
  const failures = (stale ? 0 : count.failures) + 1;
  const over = failures - rule.maxFailuresBeforeDelay;
  if (over < 0) return { failures, lastFailureAt: now, blockedUntil: null };
  const delaySeconds = Math.min(2 ** Math.min(over, 30), rule.failureWindowSeconds);
  return { failures, lastFailureAt: now, blockedUntil: new Date(now.getTime() + delaySeconds * 1000) };
}
