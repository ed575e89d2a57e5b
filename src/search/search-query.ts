import { ValidationFailed } from '../common/errors/domain-errors';
import { TICKET_PRIORITIES, TICKET_STATUSES, TicketPriority, TicketStatus } from '../tickets/ticket-lifecycle';
import { isUuid } from '../common/ids';
import { MAX_TICKET_SEARCH_LENGTH } from '../tickets/ticket-read-extensions';

export type DateComparison = '>' | '>=' | '<' | '<=' | ':';

export type SearchQualifier =
  | { kind: 'status'; values: TicketStatus[] }
  | { kind: 'priority'; values: TicketPriority[] }
  | { kind: 'tag'; value: string }
  | { kind: 'assignee'; value: string } // 'me', 'none' or an agent id
  | { kind: 'team'; value: string }
  | { kind: 'org'; value: string } // 'none', an organization id or its name
  | { kind: 'requester'; value: string }
  | { kind: 'created'; comparison: DateComparison; date: string }
  | { kind: 'number'; value: number };

export type SearchFilter = SearchQualifier & { negated: boolean };

export interface ParsedSearch {
  /** The free-text part in `websearch_to_tsquery` syntax ("phrase", or, -word); empty when there is none. */
  text: string;
  /** Set when the text is one bare token that looks like part of an email or a ticket number. */
  partial: string | null;
  filters: SearchFilter[];
}

export const MAX_QUERY_LENGTH = MAX_TICKET_SEARCH_LENGTH;
const MAX_TOKENS = 50;
const QUALIFIER = /^(-?)(status|priority|tag|assignee|team|org|requester):(.*)$/is;
const CREATED = /^(-?)created(>=|<=|>|<|:)(.*)$/is;
const NUMBER = /^(-?)#(\d{1,15})$/;
const PARTIAL = /^([^\s"@]*@[^\s"]*|\d{2,15})$/;

/** Splits on whitespace, keeping double-quoted runs (`"exact phrase"`, `team:"Tier 2"`) inside one token. */
export function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of query) {
    if (char === '"') quoted = !quoted;
    if (!quoted && /\s/.test(char)) {
      if (current) tokens.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

const unquote = (value: string) => value.replace(/^"(.*?)"?$/s, '$1').trim();

function isoDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw ValidationFailed.field(field, `created needs a date as YYYY-MM-DD, not "${value}"`);
  return value;
}

function oneOf<T extends string>(allowed: readonly T[], raw: string, key: string, field: string): T[] {
  const values = raw.split(',').map((value) => value.trim().toLowerCase()).filter(Boolean);
  const unknown = values.filter((value) => !allowed.includes(value as T));
  if (values.length === 0 || unknown.length) throw ValidationFailed.field(field, `${key}: must be one of ${allowed.join(', ')}`);
  return values as T[];
}

function qualifier(key: string, raw: string, field: string): SearchQualifier {
  const value = unquote(raw);
  if (!value) throw ValidationFailed.field(field, `${key}: needs a value`);
  switch (key) {
    case 'status':
      return { kind: 'status', values: oneOf(TICKET_STATUSES, value, key, field) };
    case 'priority':
      return { kind: 'priority', values: oneOf(TICKET_PRIORITIES, value, key, field) };
    case 'tag':
      return { kind: 'tag', value: value.toLowerCase() };
    case 'assignee': {
      const lowered = value.toLowerCase();
      if (lowered !== 'me' && lowered !== 'none' && !isUuid(value)) throw ValidationFailed.field(field, 'assignee: must be me, none or an agent id');
      return { kind: 'assignee', value: lowered };
    }
    case 'team':
      return { kind: 'team', value };
    case 'org':
      return { kind: 'org', value };
    default:
      return { kind: 'requester', value };
  }
}

/**
 * Parses a search box query: qualifiers become filters, everything else is the text part, left in web-search
 * syntax for PostgreSQL's `websearch_to_tsquery`. A leading `-` negates a qualifier as it negates a word.
 */
export function parseSearchQuery(query: string, field = 'q'): ParsedSearch {
  if (query.length > MAX_QUERY_LENGTH) throw ValidationFailed.field(field, `must be at most ${MAX_QUERY_LENGTH} characters`);
  const tokens = tokenize(query.trim());
  if (tokens.length > MAX_TOKENS) throw ValidationFailed.field(field, `must have at most ${MAX_TOKENS} terms`);
  const filters: SearchFilter[] = [];
  const text: string[] = [];
  for (const token of tokens) {
    const created = CREATED.exec(token);
    const number = NUMBER.exec(token);
    const named = QUALIFIER.exec(token);
    if (created) {
      filters.push({ kind: 'created', comparison: created[2] as DateComparison, date: isoDate(unquote(created[3]), field), negated: created[1] === '-' });
    } else if (number) {
      filters.push({ kind: 'number', value: Number(number[2]), negated: number[1] === '-' });
    } else if (named) {
      filters.push({ ...qualifier(named[2].toLowerCase(), named[3], field), negated: named[1] === '-' });
    } else {
      text.push(token);
    }
  }
  const partial = text.length === 1 && PARTIAL.test(text[0]) ? text[0] : null;
  return { text: text.join(' '), partial, filters };
}
