import { businessMillisBetween, CompiledCalendar } from '../../sla/business-time';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../tickets/ticket-lifecycle';
import { isBusinessTimeField, isTimeField, MARK_OF_TIME_FIELD, RuleConditions, TimeMark } from '../rule-conditions';

const MINUTE_MS = 60_000;

/**
 * What the scheduler's SQL can decide about a time rule before any ticket is read in full: the statuses and
 * priorities its `all` conditions allow (closed tickets never match), a wall-clock bound per time condition, and the
 * marks its period starts from. Business minutes never exceed wall-clock minutes, so "at least N business minutes"
 * implies "at least N minutes": the bound is a necessary condition and the exact check runs in code.
 */
export interface CandidateFilter {
  statuses: string[];
  /** null: any priority. */
  priorities: string[] | null;
  /** `mark <= before`: at least that many minutes have passed. */
  atMost: Array<{ mark: TimeMark; at: Date }>;
  /** `mark > after`: fewer than that many wall-clock minutes have passed. */
  laterThan: Array<{ mark: TimeMark; at: Date }>;
  /** The period starts at the latest of these marks (the ones the at_least conditions measure from). */
  periodMarks: TimeMark[];
  /**
   * After a completed pass: only tickets that crossed an at_least bound since then (`mark > after`) or changed since
   * then (`updated_at > updatedAfter`) can have started to match; the others were judged by that pass already.
   */
  since?: { crossed: Array<{ mark: TimeMark; after: Date }>; updatedAfter: Date };
}

function narrowed(allowed: string[], operator: string, value: string | undefined): string[] {
  const wanted = (value ?? '').toLowerCase();
  if (operator === 'is') return allowed.filter((item) => item === wanted);
  if (operator === 'is_not') return allowed.filter((item) => item !== wanted);
  return allowed;
}

/** The filter of a time rule at `now`; null when no ticket can match (e.g. `status is closed`). */
export function candidateFilter(conditions: RuleConditions, now: Date): CandidateFilter | null {
  let statuses: string[] = TICKET_STATUSES.filter((status) => status !== 'closed');
  let priorities: string[] | null = null;
  const atMost: CandidateFilter['atMost'] = [];
  const laterThan: CandidateFilter['laterThan'] = [];
  const periodMarks = new Set<TimeMark>();
  for (const condition of conditions.all ?? []) {
    if (condition.field === 'status') statuses = narrowed(statuses, condition.operator, condition.value);
    else if (condition.field === 'priority') priorities = narrowed(priorities ?? [...TICKET_PRIORITIES], condition.operator, condition.value);
    else if (isTimeField(condition.field)) {
      const mark = MARK_OF_TIME_FIELD[condition.field];
      const at = new Date(now.getTime() - Number(condition.value) * MINUTE_MS);
      if (condition.operator === 'at_least') {
        atMost.push({ mark, at });
        periodMarks.add(mark);
      } else if (!isBusinessTimeField(condition.field)) {
        laterThan.push({ mark, at });
      }
    }
  }
  if (statuses.length === 0 || priorities?.length === 0 || periodMarks.size === 0) return null;
  return { statuses, priorities, atMost, laterThan, periodMarks: [...periodMarks] };
}

/** How far back a pass looks past the previous one, for transactions that committed late and clocks that differ. */
export const PASS_OVERLAP_MS = 5 * MINUTE_MS;
const BUSINESS_SEARCH_MS = 400 * 24 * 60 * MINUTE_MS;

/**
 * The latest instant from which at least `minutes` business minutes had passed at `end` (or an earlier one, which only
 * widens the window): a binary search, business minutes since an instant only shrinking as the instant moves later.
 */
export function businessMinutesBefore(calendar: CompiledCalendar, end: Date, minutes: number): Date {
  const wanted = minutes * MINUTE_MS;
  let lo = end.getTime() - wanted - BUSINESS_SEARCH_MS;
  let hi = end.getTime() - wanted;
  if (businessMillisBetween(calendar, hi, end) >= wanted) return new Date(hi);
  if (businessMillisBetween(calendar, lo, end) < wanted) return new Date(lo);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (businessMillisBetween(calendar, mid, end) >= wanted) lo = mid;
    else hi = mid;
  }
  return new Date(lo);
}

/**
 * Narrows a filter to what can have started to match since the pass that completed at `previous`. Every way a ticket
 * starts to match is either an at_least bound being crossed (time passing) or a change to the ticket (which moves
 * updated_at); `businessHours` conditions change with time alone, so such rules keep the full range.
 */
export function sincePrevious(
  filter: CandidateFilter, conditions: RuleConditions, previous: Date, calendars: ReadonlyMap<string, CompiledCalendar | undefined>,
): CandidateFilter {
  const all = conditions.all ?? [];
  if ([...all, ...(conditions.any ?? [])].some((condition) => condition.field === 'businessHours')) return filter;
  const from = new Date(previous.getTime() - PASS_OVERLAP_MS);
  const crossed: Array<{ mark: TimeMark; after: Date }> = [];
  for (const condition of all) {
    if (!isTimeField(condition.field) || condition.operator !== 'at_least') continue;
    const minutes = Number(condition.value);
    const mark = MARK_OF_TIME_FIELD[condition.field];
    if (!isBusinessTimeField(condition.field)) {
      crossed.push({ mark, after: new Date(from.getTime() - minutes * MINUTE_MS) });
      continue;
    }
    const calendar = calendars.get(condition.businessHoursId!);
    if (!calendar) return filter;
    crossed.push({ mark, after: businessMinutesBefore(calendar, from, minutes) });
  }
  return { ...filter, since: { crossed, updatedAfter: from } };
}
