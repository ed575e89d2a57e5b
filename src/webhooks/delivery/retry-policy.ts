/** What one attempt's answer means. Redirects count as failures: following them would bypass the endpoint checks. */
export function classifyResponse(statusCode: number | null): 'success' | 'gone' | 'failure' {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'success';
  if (statusCode === 410) return 'gone';
  return 'failure';
}

/**
 * Delay before the retry that follows `failedAttempts` failures in a row, or null once the schedule is spent.
 * ±10 % jitter spreads out the retries of many deliveries that failed together, e.g. during an endpoint outage.
 */
export function retryDelayMs(schedule: readonly number[], failedAttempts: number, random: () => number = Math.random): number | null {
  const base = schedule[failedAttempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * random()));
}

export interface AttemptFacts {
  statusCode: number | null;
  /** Attempts of this delivery since it was created or last redelivered, including this one. */
  attemptNumber: number;
  /** When the endpoint started failing without a success since, before this attempt; null when healthy. */
  failingSince: Date | null;
  now: Date;
}

export interface RetryRules {
  retryScheduleMs: readonly number[];
  disableAfterDays: number;
}

export type DeliveryVerdict = { status: 'succeeded' } | { status: 'failed' } | { status: 'pending'; retryInMs: number };
export type EndpointVerdict = { health: 'healthy' } | { health: 'failing'; since: Date } | { health: 'disabled'; reason: 'gone' | 'failing'; since: Date | null };

/** The pure decision after one attempt: what becomes of the delivery and of its endpoint. */
export function judgeAttempt(facts: AttemptFacts, rules: RetryRules, random: () => number = Math.random): { delivery: DeliveryVerdict; endpoint: EndpointVerdict } {
  const outcome = classifyResponse(facts.statusCode);
  if (outcome === 'success') return { delivery: { status: 'succeeded' }, endpoint: { health: 'healthy' } };
  const since = facts.failingSince ?? facts.now;
  if (outcome === 'gone') return { delivery: { status: 'failed' }, endpoint: { health: 'disabled', reason: 'gone', since } };
  const retryInMs = retryDelayMs(rules.retryScheduleMs, facts.attemptNumber, random);
  const delivery: DeliveryVerdict = retryInMs === null ? { status: 'failed' } : { status: 'pending', retryInMs };
  const failingForMs = facts.now.getTime() - since.getTime();
  if (failingForMs >= rules.disableAfterDays * 86_400_000) return { delivery, endpoint: { health: 'disabled', reason: 'failing', since } };
  return { delivery, endpoint: { health: 'failing', since } };
}
