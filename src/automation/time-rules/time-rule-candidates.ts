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
