import { FieldError } from '../common/errors/domain-errors';

/**
 * The pure core of typed custom fields: what a definition may say, and whether a set of values fits the definitions of
 * its entity. No database, no clock: the service loads the definitions and calls these.
 */

export const FIELD_ENTITIES = ['ticket', 'contact', 'organization'] as const;
export type FieldEntity = (typeof FIELD_ENTITIES)[number];

export const FIELD_TYPES = ['text', 'textarea', 'integer', 'decimal', 'date', 'checkbox', 'dropdown', 'multiselect', 'regex'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_REQUIRED = ['never', 'always', 'on_solve'] as const;
export type FieldRequired = (typeof FIELD_REQUIRED)[number];

export const FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_OPTIONS = 200;
export const MAX_TEXT = 1000;
export const MAX_TEXTAREA = 10000;
export const MAX_PATTERN = 500;

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldType;
  options: FieldOption[];
  pattern: string | null;
  required: FieldRequired;
  visibleToRequesters: boolean;
  editableByRequesters: boolean;
  position: number;
}

export interface ValidateOptions {
  /** A patch (PATCH, a macro, a rule): only the keys sent are checked, null removes a key. Otherwise the whole set (create). */
  partial?: boolean;
  /** A requester (the portal) writes: only fields editable by requesters are accepted. */
  requester?: boolean;
  /** The workspace refuses keys without a definition (strictCustomFields). */
  strict?: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** A regex field's pattern must compile; it always matches the whole value. */
export function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/** Why one value does not fit its definition, or null when it does. */
export function valueProblem(definition: FieldDefinition, value: unknown): string | null {
  const allowed = new Set(definition.options.map((option) => option.value));
  switch (definition.type) {
    case 'text':
    case 'textarea': {
      const max = definition.type === 'text' ? MAX_TEXT : MAX_TEXTAREA;
      if (typeof value !== 'string') return 'must be a string';
      return value.length > max ? `must be at most ${max} characters` : null;
    }
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : 'must be a whole number';
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'date':
      return isDate(value) ? null : 'must be a date as YYYY-MM-DD';
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'dropdown':
      if (typeof value !== 'string') return 'must be the value of one of its options';
      return allowed.has(value) ? null : `"${value}" is not one of its options (${[...allowed].join(', ')})`;
    case 'multiselect': {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return 'must be a list of option values';
      const unknown = (value as string[]).filter((item) => !allowed.has(item));
      if (unknown.length) return `${unknown.map((item) => `"${item}"`).join(', ')} not among its options (${[...allowed].join(', ')})`;
      return new Set(value).size === value.length ? null : 'must not repeat an option';
    }
    case 'regex': {
      if (typeof value !== 'string') return 'must be a string';
      if (value.length > MAX_TEXT) return `must be at most ${MAX_TEXT} characters`;
      const pattern = compilePattern(definition.pattern ?? '');
      return pattern && pattern.test(value) ? null : `must match the pattern ${definition.pattern}`;
    }
  }
}

/** Whether a value counts as filled in (for required fields). */
export function isFilled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Every problem of a set of values (a whole set on create, a merge patch otherwise), each naming `customFields.<key>`.
 * Keys without a definition pass unless the workspace is strict; a requester may only write fields editable by requesters.
 */
export function validateValues(definitions: readonly FieldDefinition[], values: Record<string, unknown>, options: ValidateOptions = {}): FieldError[] {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = `customFields.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      if (options.strict || options.requester) errors.push({ field, message: 'no custom field with this key is defined' });
      continue;
    }
    if (options.requester && !definition.editableByRequesters) {
      errors.push({ field, message: 'is not editable by requesters' });
      continue;
    }
    if (value === null) {
      if (definition.required === 'always') errors.push({ field, message: 'is required and cannot be removed' });
      continue;
    }
    const problem = valueProblem(definition, value);
    if (problem) errors.push({ field, message: problem });
    else if (definition.required === 'always' && !isFilled(value)) errors.push({ field, message: 'is required' });
  }
  if (!options.partial) {
    for (const definition of definitions) {
      if (definition.required !== 'always' || key(values, definition.key) !== undefined) continue;
      if (options.requester && !definition.editableByRequesters) continue;
      errors.push({ field: `customFields.${definition.key}`, message: 'is required' });
    }
  }
  return errors;
}

function key(values: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

/** The on-solve (and always) required fields a set of values leaves empty: a ticket cannot be resolved then. */
export function missingToSolve(definitions: readonly FieldDefinition[], values: Record<string, unknown>): string[] {
  return definitions
    .filter((definition) => definition.required !== 'never' && !isFilled(key(values, definition.key)))
    .map((definition) => definition.key);
}

/** Only the values a requester may see, in definition order. */
export function visibleToRequesters(definitions: readonly FieldDefinition[], values: Record<string, unknown>): Record<string, unknown> {
  const visible: Record<string, unknown> = {};
  for (const definition of definitions) {
    const value = key(values, definition.key);
    if (definition.visibleToRequesters && value !== undefined) visible[definition.key] = value;
  }
  return visible;
}

/** What the DTO cannot say about a definition: options only for choice types, with unique values; a pattern that compiles. */
export function definitionProblems(definition: Omit<FieldDefinition, 'position'>): FieldError[] {
  const errors: FieldError[] = [];
  const choice = definition.type === 'dropdown' || definition.type === 'multiselect';
  if (!FIELD_KEY.test(definition.key)) errors.push({ field: 'key', message: 'must start with a lowercase letter and hold only a-z, 0-9 and _ (at most 64)' });
  if (choice) {
    if (definition.options.length === 0) errors.push({ field: 'options', message: `a ${definition.type} needs at least one option` });
    const seen = new Set<string>();
    definition.options.forEach((option, index) => {
      if (seen.has(option.value)) errors.push({ field: `options[${index}].value`, message: `"${option.value}" is already an option` });
      seen.add(option.value);
    });
  } else if (definition.options.length > 0) {
    errors.push({ field: 'options', message: `only dropdown and multiselect fields have options` });
  }
  if (definition.type === 'regex') {
    if (!definition.pattern) errors.push({ field: 'pattern', message: 'a regex field needs a pattern' });
    else if (!compilePattern(definition.pattern)) errors.push({ field: 'pattern', message: 'is not a valid regular expression' });
  } else if (definition.pattern) {
    errors.push({ field: 'pattern', message: 'only regex fields have a pattern' });
  }
  if (definition.editableByRequesters && !definition.visibleToRequesters) {
    errors.push({ field: 'editableByRequesters', message: 'a field editable by requesters must also be visible to them' });
  }
  return errors;
}

/** Option values are stable: an update may relabel and add options; the values it drops are returned so their use can be counted. */
export function droppedOptions(before: readonly FieldOption[], after: readonly FieldOption[]): string[] {
  const kept = new Set(after.map((option) => option.value));
  return before.map((option) => option.value).filter((value) => !kept.has(value));
}
