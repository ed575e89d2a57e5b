import { addBusinessMillis, BusinessHours, businessMillisBetween } from '../business-time';
import { SlaMetric } from '../policies/sla-policy-rules';

export const METRIC_STATUSES = ['active', 'paused', 'fulfilled', 'breached'] as const;
export type MetricStatus = (typeof METRIC_STATUSES)[number];

/**
 * One cycle of one SLA metric on one ticket, as a stopwatch over business time: completed runs are summed in
 * `accumulatedMs`, the current run started at `runStartedAt` (null while paused or stopped). Keeping runs rather
 * than only a due time is what lets a new target be applied "from the start" after a priority change.
 * A breach is final for the cycle; the stopwatch still runs so elapsed time stays truthful.
 */
export interface MetricClock {
  metric: SlaMetric;
  cycle: number;
  policyId: string | null;
  businessHoursId: string | null;
  /** Null when no target applies: the clock still runs so a target set later measures from the metric's start. */
  targetMinutes: number | null;
  status: MetricStatus;
  startedAt: Date;
  runStartedAt: Date | null;
  accumulatedMs: number;
  dueAt: Date | null;
  fulfilledAt: Date | null;
  breachedAt: Date | null;
  warnedAt: Date | null;
  pausedAt: Date | null;
}

export interface Target {
  policyId: string | null;
  businessHoursId: string | null;
  targetMinutes: number | null;
}

const MINUTE_MS = 60_000;

export function startClock(metric: SlaMetric, cycle: number, target: Target, calendar: BusinessHours, now: Date, running: boolean): MetricClock {
  const clock: MetricClock = {
    metric,
    cycle,
    ...target,
    status: running ? 'active' : 'paused',
    startedAt: now,
    runStartedAt: running ? now : null,
    accumulatedMs: 0,
    dueAt: null,
    fulfilledAt: null,
    breachedAt: null,
    warnedAt: null,
    pausedAt: running ? null : now,
  };
  return withDueTime(clock, calendar);
}

export function elapsedMs(clock: MetricClock, calendar: BusinessHours, now: Date): number {
  const running = clock.runStartedAt && now > clock.runStartedAt ? businessMillisBetween(calendar, clock.runStartedAt, now) : 0;
  return clock.accumulatedMs + running;
}

/** Due while running towards a target; a breached cycle keeps the due time it missed. */
function withDueTime(clock: MetricClock, calendar: BusinessHours): MetricClock {
  if (clock.targetMinutes === null) return { ...clock, dueAt: null };
  if (clock.status === 'breached' || clock.status === 'fulfilled') return clock;
  if (clock.runStartedAt === null) return { ...clock, dueAt: null };
  const remaining = Math.max(0, clock.targetMinutes * MINUTE_MS - clock.accumulatedMs);
  return { ...clock, dueAt: addBusinessMillis(calendar, clock.runStartedAt, remaining) };
}

function stopRun(clock: MetricClock, calendar: BusinessHours, now: Date): MetricClock {
  if (clock.runStartedAt === null) return clock;
  return { ...clock, accumulatedMs: elapsedMs(clock, calendar, now), runStartedAt: null };
}

export function pause(clock: MetricClock, calendar: BusinessHours, now: Date): MetricClock {
  if (clock.runStartedAt === null || clock.fulfilledAt !== null) return clock;
  const stopped = stopRun(clock, calendar, now);
  return { ...stopped, status: clock.status === 'active' ? 'paused' : clock.status, pausedAt: now, dueAt: clock.status === 'breached' ? clock.dueAt : null };
}

export function resume(clock: MetricClock, calendar: BusinessHours, now: Date): MetricClock {
  if (clock.runStartedAt !== null || clock.fulfilledAt !== null) return clock;
  const status = clock.status === 'paused' ? 'active' : clock.status;
  return withDueTime({ ...clock, status, runStartedAt: now, pausedAt: null }, calendar);
}

export function fulfil(clock: MetricClock, calendar: BusinessHours, now: Date): MetricClock {
  if (clock.fulfilledAt !== null) return clock;
  const stopped = stopRun(clock, calendar, now);
  // Met late is missed, even when the breach scan has not come round yet: every report must agree on that.
  const late = clock.status !== 'breached' && clock.dueAt !== null && now.getTime() > clock.dueAt.getTime();
  if (late) return { ...stopped, status: 'breached', breachedAt: clock.dueAt, fulfilledAt: now, pausedAt: null };
  return { ...stopped, status: clock.status === 'breached' ? 'breached' : 'fulfilled', fulfilledAt: now, pausedAt: null };
}

/** A resolved ticket reopening resumes its resolution clock where it stopped. */
export function reopen(clock: MetricClock, calendar: BusinessHours, now: Date, running: boolean): MetricClock {
  if (clock.fulfilledAt === null) return clock;
  const reopened: MetricClock = { ...clock, status: clock.status === 'breached' ? 'breached' : 'paused', fulfilledAt: null, pausedAt: now };
  return running ? resume(reopened, calendar, now) : reopened;
}

/** Applies another policy or target to the cycle as if it had applied from the start. */
export function retarget(clock: MetricClock, target: Target, calendar: BusinessHours): MetricClock {
  return withDueTime({ ...clock, ...target }, calendar);
}

export function sameTarget(clock: MetricClock, target: Target): boolean {
  return clock.policyId === target.policyId && clock.businessHoursId === target.businessHoursId && clock.targetMinutes === target.targetMinutes;
}
