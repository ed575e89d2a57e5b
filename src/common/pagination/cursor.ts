import { InvalidCursor } from '../errors/domain-errors';
import { isUuid } from '../ids';

/** A position in a keyset-ordered list: the sort value of the last row seen and its id as tie-breaker. */
export interface CursorPosition {
  sortValue: string | number;
  id: string;
}

/**
 * What a sort's value is, so a forged cursor is refused here instead of failing as a query parameter:
 * `timestamp` is an ISO instant as toISOString writes it, `integer` fits PostgreSQL's int4, `number` is any finite number.
 */
export type CursorValueKind = 'timestamp' | 'integer' | 'number';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INT4_MAX = 2 ** 31 - 1;

function isValueOfKind(value: unknown, kind: CursorValueKind): value is string | number {
  switch (kind) {
    case 'timestamp':
      // Round-tripping refuses dates JavaScript would silently roll over (February 30) but PostgreSQL rejects.
      return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT4_MAX;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
  }
}

export function encodeCursor(sort: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([sort, position.sortValue, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, expectedSort: string, kind: CursorValueKind, field = 'cursor'): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor(field, 'is not a cursor issued by this API');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw new InvalidCursor(field, 'is not a cursor issued by this API');
  const [sort, sortValue, id] = decoded;
  if (typeof sort !== 'string') throw new InvalidCursor(field, 'is not a cursor issued by this API');
  if (sort !== expectedSort) {
    throw new InvalidCursor(field, `was issued for sort "${sort}"; repeat the same sort, or start again without a cursor`);
  }
  if (!isUuid(id) || !isValueOfKind(sortValue, kind)) throw new InvalidCursor(field, 'is not a cursor issued by this API');
  return { sortValue, id };
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
