import { isUUID } from 'class-validator';
import { FieldError } from '../common/errors/domain-errors';

export const CONDITION_FIELDS = [
  'status', 'priority', 'type', 'tags', 'subject', 'body', 'channel', 'requester.emailDomain', 'assignee', 'team', 'organization', 'businessHours',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export const CONDITION_OPERATORS = ['is', 'is_not', 'changed_to', 'contains', 'not_contains', 'matches', 'is_set', 'is_not_set', 'within', 'outside'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface RuleCondition {
  field: ConditionField;
  operator: ConditionOperator;
  value?: string;
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

/** The calendar each well-formed business-hours condition names, with the path of its value, for checking that it exists. */
export function calendarReferences(conditions: RuleConditions, path: string): Array<{ calendarId: string; field: string }> {
  return (['all', 'any'] as const).flatMap((group) =>
    (conditions[group] ?? []).flatMap((condition, index) =>
      condition.field === 'businessHours' && typeof condition.value === 'string' && isUUID(condition.value) ? [{ calendarId: condition.value, field: `${path}.${group}[${index}].value` }] : []));
}

function valueOf(subject: ConditionSubject, field: Exclude<ConditionField, 'businessHours'>): string | string[] | null {
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
    case 'within': case 'outside': return false;
  }
}

/** Every `all` condition holds and, when there are `any` conditions, at least one does. */
export function conditionsHold(conditions: RuleConditions, subject: ConditionSubject): boolean {
  const all = conditions.all ?? [];
  const any = conditions.any ?? [];
  return all.every((condition) => conditionHolds(condition, subject)) && (any.length === 0 || any.some((condition) => conditionHolds(condition, subject)));
}
