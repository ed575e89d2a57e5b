import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CursorPosition, decodeCursor, encodeCursor, Page } from './cursor';

export interface KeysetOptions {
  /** Name of the sort, baked into cursors so one issued for another order is refused. */
  sort: string;
  /** Qualified column, e.g. `contact.created_at`. */
  column: string;
  idColumn: string;
  direction: 'ASC' | 'DESC';
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
    const position: CursorPosition = decodeCursor(options.cursor, options.sort);
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
