import { isUUID } from 'class-validator';
import { FieldError } from '../common/errors/domain-errors';
import { businessMinutesBetween, CompiledCalendar } from '../sla/business-time';

/** The instants a time condition measures from, as the automation module keeps them per ticket. */
export const TIME_MARKS = ['createdAt', 'updatedAt', 'statusChangedAt', 'requesterRepliedAt', 'agentRepliedAt'] as const;
export type TimeMark = (typeof TIME_MARKS)[number];
export type TimeMarks = Record<TimeMark, Date | null>;

/** Wall-clock minutes since a mark, and the same in business minutes of the calendar named by `businessHoursId`. */
export const MARK_OF_TIME_FIELD = {
  minutesSinceCreated: 'createdAt', minutesSinceUpdated: 'updatedAt', minutesSinceStatusChanged: 'statusChangedAt',
  minutesSinceRequesterReply: 'requesterRepliedAt', minutesSinceAgentReply: 'agentRepliedAt',
  businessMinutesSinceCreated: 'createdAt', businessMinutesSinceUpdated: 'updatedAt', businessMinutesSinceStatusChanged: 'statusChangedAt',
  businessMinutesSinceRequesterReply: 'requesterRepliedAt', businessMinutesSinceAgentReply: 'agentRepliedAt',
} as const satisfies Record<string, TimeMark>;
export type TimeField = keyof typeof MARK_OF_TIME_FIELD;
export const TIME_FIELDS = Object.keys(MARK_OF_TIME_FIELD) as TimeField[];
export const isTimeField = (field: string): field is TimeField => Object.prototype.hasOwnProperty.call(MARK_OF_TIME_FIELD, field);
export const isBusinessTimeField = (field: string): boolean => isTimeField(field) && field.startsWith('business');
/** Ten years: longer waits are a mistake, and bounds keep the candidate query's arithmetic in range. */
export const MAX_TIME_CONDITION_MINUTES = 5_256_000;

export const CONDITION_FIELDS = [
  'status', 'priority', 'type', 'tags', 'subject', 'body', 'channel', 'requester.emailDomain', 'assignee', 'team', 'organization', 'businessHours', ...TIME_FIELDS,
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export const CONDITION_OPERATORS = [
  'is', 'is_not', 'changed_to', 'contains', 'not_contains', 'matches', 'is_set', 'is_not_set', 'within', 'outside', 'at_least', 'less_than',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface RuleCondition {
  field: ConditionField;
  operator: ConditionOperator;
  value?: string;
  /** For businessMinutesSince… fields: the business-hours calendar whose open minutes count. */
  businessHoursId?: string;
}

/** What time conditions look at: the evaluation's now, the ticket's marks and the calendars business minutes count in. */
export interface TimeFacts {
  now: Date;
  marks: TimeMarks | null;
  /** A calendar missing here (deleted since the rule was saved) makes its conditions false. */
  calendars: ReadonlyMap<string, CompiledCalendar | undefined>;
}

export interface RuleConditions {
  all?: RuleCondition[];
  any?: RuleCondition[];
}

/** What a rule looks at: the ticket after the change, the message it brought (if any) and what changed. */
export interface ConditionSubject {
  status: string;
  priority: string;
  type: string | null;
  tags: string[];
  subject: string;
  body: string;
  channel: string;
  requesterEmail: string | null;
  assigneeId: string | null;
  teamId: string | null;
  organizationId: string | null;
  changed: Record<string, { before: unknown; after: unknown }>;
  /**
   * Whether each business-hours calendar the rules name is open at the time of the change, worked out by the caller
   * so matching stays pure. A calendar missing here (deleted since the rule was saved) makes its conditions false.
   */
  openCalendars: ReadonlyMap<string, boolean>;
  /** Present when time rules are evaluated; without it every time condition is false. */
  time?: TimeFacts;
}

const OPERATORS_BY_FIELD: Record<ConditionField, ConditionOperator[]> = {
  status: ['is', 'is_not', 'changed_to'],
  priority: ['is', 'is_not', 'changed_to'],
  type: ['is', 'is_not', 'changed_to', 'is_set', 'is_not_set'],
  tags: ['contains', 'not_contains'],
  subject: ['is', 'contains', 'not_contains', 'matches'],
  body: ['contains', 'not_contains', 'matches'],
  channel: ['is', 'is_not'],
  'requester.emailDomain': ['is', 'is_not'],
  assignee: ['is', 'is_not', 'is_set', 'is_not_set'],
  team: ['is', 'is_not', 'is_set', 'is_not_set'],
  organization: ['is', 'is_not', 'is_set', 'is_not_set'],
  businessHours: ['within', 'outside'],
  ...(Object.fromEntries(TIME_FIELDS.map((field) => [field, ['at_least', 'less_than']])) as Record<TimeField, ConditionOperator[]>),
};
const MAX_PATTERN = 200;
// Rules only read a bounded prefix of long messages, which also bounds what a pattern can cost.
const MAX_SCANNED_TEXT = 10_000;

export function conditionErrors(conditions: RuleConditions, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const group of ['all', 'any'] as const) {
    (conditions[group] ?? []).forEach((condition, index) => {
      const at = `${path}.${group}[${index}]`;
      const allowed = OPERATORS_BY_FIELD[condition.field];
      if (!allowed) return errors.push({ field: `${at}.field`, message: `must be one of ${CONDITION_FIELDS.join(', ')}` });
      if (!allowed.includes(condition.operator)) return errors.push({ field: `${at}.operator`, message: `${condition.field} supports ${allowed.join(', ')}` });
      const needsValue = condition.operator !== 'is_set' && condition.operator !== 'is_not_set';
      if (needsValue && (typeof condition.value !== 'string' || condition.value.length === 0)) return errors.push({ field: `${at}.value`, message: `is required for ${condition.operator}` });
      if (!needsValue && condition.value !== undefined) return errors.push({ field: `${at}.value`, message: `is not used by ${condition.operator}` });
      if (condition.field === 'businessHours' && !isUUID(condition.value)) return errors.push({ field: `${at}.value`, message: 'must be the id of a business-hours calendar' });
      if (condition.field === 'organization' && needsValue && !isUUID(condition.value)) return errors.push({ field: `${at}.value`, message: 'must be the id of an organization' });
      if (isTimeField(condition.field)) return timeConditionErrors(condition, at, errors);
      if (condition.businessHoursId !== undefined) return errors.push({ field: `${at}.businessHoursId`, message: 'is used only by businessMinutesSince… fields' });
      if (condition.operator === 'matches') {
        if (condition.value!.length > MAX_PATTERN) return errors.push({ field: `${at}.value`, message: `a pattern is at most ${MAX_PATTERN} characters` });
        try {
          new RegExp(condition.value!, 'i');
        } catch {
          errors.push({ field: `${at}.value`, message: 'is not a valid regular expression' });
        }
      }
      return undefined;
    });
  }
  return errors;
}

function timeConditionErrors(condition: RuleCondition, at: string, errors: FieldError[]): number {
  const minutes = condition.value!;
  if (!/^\d{1,7}$/.test(minutes) || Number(minutes) < 1 || Number(minutes) > MAX_TIME_CONDITION_MINUTES) {
    return errors.push({ field: `${at}.value`, message: `must be a whole number of minutes from 1 to ${MAX_TIME_CONDITION_MINUTES}` });
  }
  if (isBusinessTimeField(condition.field)) {
    if (typeof condition.businessHoursId !== 'string' || !isUUID(condition.businessHoursId)) return errors.push({ field: `${at}.businessHoursId`, message: 'must be the id of a business-hours calendar' });
  } else if (condition.businessHoursId !== undefined) {
    return errors.push({ field: `${at}.businessHoursId`, message: 'is used only by businessMinutesSince… fields' });
  }
  return errors.length;
}

/**
 * A rule is either time-based (`events: ["time"]`, run by the scheduler) or change-based. A time rule needs an
 * `at_least` time condition among `all` (it bounds which tickets can match and starts the period it fires once in)
 * and cannot ask what a change changed; a change rule cannot use time conditions.
 */
export function ruleShapeErrors(events: readonly string[], conditions: RuleConditions, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const timed = events.includes('time');
  if (timed && events.length > 1) errors.push({ field: 'events', message: 'a time rule lists only "time": a rule is either time-based or change-based' });
  for (const group of ['all', 'any'] as const) {
    (conditions[group] ?? []).forEach((condition, index) => {
      const at = `${path}.${group}[${index}]`;
      if (!timed && isTimeField(condition.field)) errors.push({ field: `${at}.field`, message: 'minutesSince… conditions need events ["time"]' });
      if (timed && condition.operator === 'changed_to') errors.push({ field: `${at}.operator`, message: 'changed_to needs a change; time rules cannot use it' });
    });
  }
  if (timed && !(conditions.all ?? []).some((condition) => isTimeField(condition.field) && condition.operator === 'at_least')) {
    errors.push({ field: `${path}.all`, message: 'a time rule needs at least one minutesSince… or businessMinutesSince… condition with at_least' });
  }
  return errors;
}

/** The calendar each well-formed business-hours condition names, with the path of its value, for checking that it exists. */
export function calendarReferences(conditions: RuleConditions, path: string): Array<{ calendarId: string; field: string }> {
  return (['all', 'any'] as const).flatMap((group) =>
    (conditions[group] ?? []).flatMap((condition, index) => {
      if (condition.field === 'businessHours' && typeof condition.value === 'string' && isUUID(condition.value)) return [{ calendarId: condition.value, field: `${path}.${group}[${index}].value` }];
      if (isBusinessTimeField(condition.field) && typeof condition.businessHoursId === 'string' && isUUID(condition.businessHoursId)) {
        return [{ calendarId: condition.businessHoursId, field: `${path}.${group}[${index}].businessHoursId` }];
      }
      return [];
    }));
}

/** Minutes since the condition's mark at the evaluation's now (business minutes of its calendar for businessMinutesSince…); null when unknown. */
export function minutesSince(condition: RuleCondition, time: TimeFacts | undefined): number | null {
  if (!time?.marks || !isTimeField(condition.field)) return null;
  const mark = time.marks[MARK_OF_TIME_FIELD[condition.field]];
  if (!mark) return null;
  if (!isBusinessTimeField(condition.field)) return (time.now.getTime() - mark.getTime()) / 60_000;
  const calendar = time.calendars.get(condition.businessHoursId!);
  if (!calendar) return null;
  return businessMinutesBetween(calendar, mark, time.now);
}

/**
 * Where a time rule's qualifying period starts for a ticket: the latest mark its `all` at_least conditions measure
 * from. The rule fires at most once per period; the period restarts when that mark moves (the ticket re-enters the
 * status, the requester replies again, ...).
 */
export function periodStart(conditions: RuleConditions, marks: TimeMarks): Date | null {
  let start: Date | null = null;
  for (const condition of conditions.all ?? []) {
    if (!isTimeField(condition.field) || condition.operator !== 'at_least') continue;
    const mark = marks[MARK_OF_TIME_FIELD[condition.field]];
    if (!mark) return null;
    if (!start || mark > start) start = mark;
  }
  return start;
}

function valueOf(subject: ConditionSubject, field: Exclude<ConditionField, 'businessHours' | TimeField>): string | string[] | null {
  switch (field) {
    case 'requester.emailDomain': return subject.requesterEmail?.split('@')[1] ?? null;
    case 'assignee': return subject.assigneeId;
    case 'team': return subject.teamId;
    case 'organization': return subject.organizationId;
    case 'body': return subject.body.slice(0, MAX_SCANNED_TEXT);
    default: return subject[field];
  }
}

const CHANGE_KEYS: Partial<Record<ConditionField, string>> = { status: 'status', priority: 'priority', type: 'type' };

/** Text comparisons are case-insensitive; ids compare exactly. */
export function conditionHolds(condition: RuleCondition, subject: ConditionSubject): boolean {
  if (condition.field === 'businessHours') {
    const open = subject.openCalendars.get(condition.value!);
    return open !== undefined && open === (condition.operator === 'within');
  }
  if (isTimeField(condition.field)) {
    const elapsed = minutesSince(condition, subject.time);
    if (elapsed === null) return false;
    return condition.operator === 'at_least' ? elapsed >= Number(condition.value) : elapsed < Number(condition.value);
  }
  const actual = valueOf(subject, condition.field);
  const wanted = (condition.value ?? '').toLowerCase();
  const text = Array.isArray(actual) ? '' : (actual ?? '').toLowerCase();
  switch (condition.operator) {
    case 'is': return actual !== null && text === wanted;
    case 'is_not': return text !== wanted;
    case 'changed_to': {
      const change = subject.changed[CHANGE_KEYS[condition.field]!];
      return change !== undefined && String(change.after).toLowerCase() === wanted;
    }
    case 'contains': return Array.isArray(actual) ? actual.includes(wanted) : text.includes(wanted);
    case 'not_contains': return Array.isArray(actual) ? !actual.includes(wanted) : !text.includes(wanted);
    case 'matches': return new RegExp(condition.value!, 'i').test(text);
    case 'is_set': return actual !== null;
    case 'is_not_set': return actual === null;
    // Saving allows these only on businessHours, answered above.
    case 'within': case 'outside': case 'at_least': case 'less_than': return false;
  }
}

/** Every `all` condition holds and, when there are `any` conditions, at least one does. */
export function conditionsHold(conditions: RuleConditions, subject: ConditionSubject): boolean {
  const all = conditions.all ?? [];
  const any = conditions.any ?? [];
  return all.every((condition) => conditionHolds(condition, subject)) && (any.length === 0 || any.some((condition) => conditionHolds(condition, subject)));
}
