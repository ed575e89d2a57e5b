import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CursorPosition, CursorValueKind, decodeCursor, encodeCursor, Page } from './cursor';

export interface KeysetOptions {
  /** Name of the sort, baked into cursors so one issued for another order is refused. */
  sort: string;
  /** Qualified column, e.g. `contact.created_at`. */
  column: string;
  idColumn: string;
  direction: 'ASC' | 'DESC';
  /** What the sort column holds, so forged cursor values are refused before they reach the query. */
  valueKind: CursorValueKind;
  limit: number;
  cursor?: string;
  sortValueOf: (row: ObjectLiteral) => string | number;
}

/**
 * Keyset pagination: rows after the cursor's (sort value, id) in a total order. Unlike offsets, inserts
 * elsewhere in the list never shift or repeat rows on later pages.
 */
export async function keysetPage<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, options: KeysetOptions): Promise<Page<T>> {
  if (options.cursor) {
    const position: CursorPosition = decodeCursor(options.cursor, options.sort, options.valueKind);
    const comparator = options.direction === 'ASC' ? '>' : '<';
    query.andWhere(`(${options.column}, ${options.idColumn}) ${comparator} (:cursorValue, :cursorId)`, {
      cursorValue: position.sortValue,
      cursorId: position.id,
    });
  }
  const rows = await query
    .orderBy(options.column, options.direction)
    .addOrderBy(options.idColumn, options.direction)
    .limit(options.limit + 1)
    .getMany();
  const hasMore = rows.length > options.limit;
  const data = hasMore ? rows.slice(0, options.limit) : rows;
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: hasMore && last ? encodeCursor(options.sort, { sortValue: options.sortValueOf(last), id: last.id }) : null,
  };
}

/** Most lists page by creation time; the sort name in the cursor also records the direction. */
export function pageByCreation<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  page: { limit?: number; cursor?: string },
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  return keysetPage(query, {
    sort: direction === 'ASC' ? 'createdAt' : '-createdAt',
    column: `${alias}.created_at`,
    idColumn: `${alias}.id`,
    direction,
    valueKind: 'timestamp',
    limit: page.limit ?? 25,
    cursor: page.cursor,
    sortValueOf: (row) => (row as T).createdAt.toISOString(),
  });
}

/** Conversations and histories page in their per-ticket order. */
export function pageBySequence<T extends ObjectLiteral & { id: string; sequence: number }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  page: { limit?: number; cursor?: string },
): Promise<Page<T>> {
  return keysetPage(query, {
    sort: 'sequence',
    column: `${alias}.sequence`,
    idColumn: `${alias}.id`,
    direction: 'ASC',
    valueKind: 'integer',
    limit: page.limit ?? 50,
    cursor: page.cursor,
    sortValueOf: (row) => (row as T).sequence,
  });
}

/** The cursor that resumes a creation-ordered list right after this row (for GraphQL edges). */
export function creationCursor(row: { id: string; createdAt: Date }, direction: 'ASC' | 'DESC' = 'ASC'): string {
  return encodeCursor(direction === 'ASC' ? 'createdAt' : '-createdAt', { sortValue: row.createdAt.toISOString(), id: row.id });
}
