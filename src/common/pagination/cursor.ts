import { ValidationFailed } from '../errors/domain-errors';

/** A position in a keyset-ordered list: the sort value of the last row seen and its id as tie-breaker. */
export interface CursorPosition {
  sortValue: string | number;
  id: string;
}

export function encodeCursor(sort: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([sort, position.sortValue, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, expectedSort: string, field = 'cursor'): CursorPosition {
  try {
    const [sort, sortValue, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof id !== 'string' || (typeof sortValue !== 'string' && typeof sortValue !== 'number')) throw new Error('shape');
    if (sort !== expectedSort) {
      throw ValidationFailed.field(field, `this cursor was issued for sort "${sort}"; repeat the same sort, or start again without a cursor`);
    }
    return { sortValue, id };
  } catch (error) {
    if (error instanceof ValidationFailed) throw error;
    throw ValidationFailed.field(field, 'is not a cursor issued by this API');
  }
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
