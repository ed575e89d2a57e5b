import type { CompiledCalendar } from './business-calendar';
import { DAY_MS, MINUTE_MS } from './zone-clock';

/** A compiled calendar, or null for around the clock (24/7). */
export type BusinessHours = CompiledCalendar | null;
export type Instant = Date | number;

// Searching stops after this many consecutive days without open time.
const SEARCH_HORIZON_YEARS = 10;
const SEARCH_HORIZON_DAYS = Math.ceil(SEARCH_HORIZON_YEARS * 365.25);

export class CalendarNeverOpensError extends Error {
  constructor(timezone: string) {
    super(
      `The business calendar (${timezone}) has no open time within ${SEARCH_HORIZON_YEARS} years; ` +
        'check its weekly intervals, holidays and special days',
    );
    this.name = 'CalendarNeverOpensError';
  }
}

export function addBusinessMinutes(calendar: BusinessHours, start: Instant, minutes: number): Date {
  return addBusinessMillis(calendar, start, Math.round(minutes * MINUTE_MS));
}

export function businessMinutesBetween(calendar: BusinessHours, from: Instant, to: Instant): number {
  return businessMillisBetween(calendar, from, to) / MINUTE_MS;
}

/**
 * The instant at which `millis` of business time have elapsed after `start`. Counting starts at the
 * next opening when `start` is closed; a result landing on the end of an interval stays there.
 */
export function addBusinessMillis(calendar: BusinessHours, start: Instant, millis: number): Date {
  const startAt = toEpochMillis(start);
  if (!Number.isFinite(millis) || millis < 0) {
    throw new RangeError(`Business time to add must be a finite, non-negative amount, got ${millis}`);
  }
  if (calendar === null) return new Date(startAt + millis);
  if (!calendar.opensAtAll) throw new CalendarNeverOpensError(calendar.timezone);

  const undisturbed = new UndisturbedDays(calendar);
  const startDay = calendar.localDayOf(startAt);
  let remaining = millis;
  let lastDayWithOpenTime = startDay;
  // The previous day is included because its overnight interval may still be running at `start`.
  let day = startDay - 1;
  for (;;) {
    if (day - lastDayWithOpenTime > SEARCH_HORIZON_DAYS) throw new CalendarNeverOpensError(calendar.timezone);

    // Two days on, every interval starts after `start`, so whole days can be consumed without clipping.
    if (day >= startDay + 2) {
      if (remaining > calendar.weeklyOpenMillis && undisturbed.isWeekFrom(day)) {
        remaining -= calendar.weeklyOpenMillis;
        day += 7;
        // A calendar open only on special days has empty weeks in between; they must not reset the horizon.
        if (calendar.weeklyOpenMillis > 0) lastDayWithOpenTime = day - 1;
        continue;
      }
      const openMillis = calendar.wallClockOpenMillisOn(day);
      if (remaining > openMillis && undisturbed.isDay(day)) {
        remaining -= openMillis;
        if (openMillis > 0) lastDayWithOpenTime = day;
        day += 1;
        continue;
      }
    }

    for (const span of openSpansStartingOn(calendar, day)) {
      lastDayWithOpenTime = day;
      if (span.end <= startAt) continue;
      const countFrom = Math.max(span.start, startAt);
      const available = span.end - countFrom;
      if (remaining <= available) return new Date(countFrom + remaining);
      remaining -= available;
    }
    day += 1;
  }
}

export function businessMillisBetween(calendar: BusinessHours, from: Instant, to: Instant): number {
  const fromAt = toEpochMillis(from);
  const toAt = toEpochMillis(to);
  if (toAt <= fromAt) return 0;
  if (calendar === null) return toAt - fromAt;

  const undisturbed = new UndisturbedDays(calendar);
  const firstDay = calendar.localDayOf(fromAt);
  const lastDay = calendar.localDayOf(toAt);
  // Intervals of these days start after `from` and end before `to`, so they count whole.
  const firstInnerDay = firstDay + 2;
  const lastInnerDay = lastDay - 3;
  let total = 0;
  let day = firstDay - 1;
  while (day <= lastDay) {
    if (day >= firstInnerDay && day + 6 <= lastInnerDay && undisturbed.isWeekFrom(day)) {
      total += calendar.weeklyOpenMillis;
      day += 7;
      continue;
    }
    if (day >= firstInnerDay && day <= lastInnerDay && undisturbed.isDay(day)) {
      total += calendar.wallClockOpenMillisOn(day);
      day += 1;
      continue;
    }

    for (const span of openSpansStartingOn(calendar, day)) {
      total += Math.max(0, Math.min(span.end, toAt) - Math.max(span.start, fromAt));
    }
    day += 1;
  }
  return total;
}

export function isOpenAt(calendar: BusinessHours, at: Instant): boolean {
  const atMs = toEpochMillis(at);
  if (calendar === null) return true;
  const day = calendar.localDayOf(atMs);
  return [day - 1, day].some((candidateDay) =>
    openSpansStartingOn(calendar, candidateDay).some((span) => span.start <= atMs && atMs < span.end),
  );
}

/** `at` itself when open, otherwise the start of the next open interval; null when the calendar never opens. */
export function nextOpening(calendar: BusinessHours, at: Instant): Date | null {
  const atMs = toEpochMillis(at);
  if (calendar === null) return new Date(atMs);
  if (!calendar.opensAtAll) return null;

  const atDay = calendar.localDayOf(atMs);
  for (let day = atDay - 1; day <= atDay + SEARCH_HORIZON_DAYS; day++) {
    for (const span of openSpansStartingOn(calendar, day)) {
      if (span.end > atMs) return new Date(Math.max(span.start, atMs));
    }
  }
  return null;
}

/** Half-open [start, end) in epoch milliseconds. */
interface OpenSpan {
  start: number;
  end: number;
}

function openSpansStartingOn(calendar: CompiledCalendar, day: number): OpenSpan[] {
  const spans: OpenSpan[] = [];
  for (const range of calendar.openRangesStartingOn(day)) {
    const start = calendar.instantOf(day, range.start);
    const end = calendar.instantOf(day, range.end);
    // Empty when the whole interval falls in the hour skipped by a forward DST jump.
    if (end > start) spans.push({ start, end });
  }
  return spans;
}

const LOOKAHEAD_DAYS = 64;

/**
 * Tells, without converting any wall time, whether the intervals starting on a day are undisturbed:
 * no holiday, no special day and no UTC-offset change nearby, so their real length equals their wall-clock length.
 * Meant for walks over increasing days.
 */
class UndisturbedDays {
  private readonly irregularDays: ForwardLookout;
  private readonly offsetChanges: ForwardLookout;

  constructor(calendar: CompiledCalendar) {
    this.irregularDays = new ForwardLookout(LOOKAHEAD_DAYS, (fromDay, untilDay) =>
      calendar.firstIrregularDayWithin(fromDay, untilDay),
    );
    this.offsetChanges = new ForwardLookout(LOOKAHEAD_DAYS * DAY_MS, (from, until) =>
      calendar.firstOffsetChangeWithin(from, until),
    );
  }

  isDay(day: number): boolean {
    return this.areDays(day, day);
  }

  isWeekFrom(firstDay: number): boolean {
    return this.areDays(firstDay, firstDay + 6);
  }

  // Intervals starting on these days lie within their wall times [firstDay, lastDay + 2 days), and a
  // UTC offset is less than a day, so padding that window by a day on each side bounds their instants.
  private areDays(firstDay: number, lastDay: number): boolean {
    return (
      !this.irregularDays.hasEventWithin(firstDay, lastDay) &&
      !this.offsetChanges.hasEventWithin((firstDay - 1) * DAY_MS, (lastDay + 3) * DAY_MS)
    );
  }
}

/** Remembers the first event found ahead, so that queries moving forward rarely search again. */
class ForwardLookout {
  private searchedFrom = Number.POSITIVE_INFINITY;
  private searchedUntil = Number.NEGATIVE_INFINITY;
  private firstEvent: number | undefined;

  constructor(
    private readonly lookahead: number,
    private readonly findFirstEvent: (from: number, until: number) => number | undefined,
  ) {}

  hasEventWithin(from: number, to: number): boolean {
    const isKnown =
      from >= this.searchedFrom &&
      (this.firstEvent === undefined ? to <= this.searchedUntil : from <= this.firstEvent);
    if (!isKnown) {
      this.searchedFrom = from;
      this.searchedUntil = Math.max(to, from + this.lookahead);
      this.firstEvent = this.findFirstEvent(from, this.searchedUntil);
    }
    return this.firstEvent !== undefined && this.firstEvent <= to;
  }
}

function toEpochMillis(instant: Instant): number {
  const millis = instant instanceof Date ? instant.getTime() : instant;
  if (!Number.isFinite(millis)) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return millis;
}
