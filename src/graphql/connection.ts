import { InvalidCursor } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A GraphQL connection from a service's page. `cursorOf` is the service's own cursor for a row (the one that resumes
 * its list right after that row), so every edge can be resumed from, and endCursor is the last row's cursor on every
 * page, the last page included. When the page has more, the service's nextCursor must be that same cursor.
 */
export function toConnection<T>(page: Page<T>, cursorOf: (node: T) => string): Connection<T> {
  const last = page.data.at(-1);
  const endCursor = last === undefined ? null : cursorOf(last);
  // A cursor function that disagrees with the service's order would skip or repeat rows: fail loudly instead.
  if (page.nextCursor !== null && page.nextCursor !== endCursor) throw new Error('The connection cursor disagrees with the page\'s nextCursor.');
  return {
    // Most pages ask only for pageInfo.endCursor, so an edge's cursor is encoded when read, not once per row up front.
    edges: page.data.map((node) => ({ node, get cursor() { return cursorOf(node); } })),
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor },
  };
}

/**
 * Reads a service's page for a connection field: services name a bad cursor `cursor`, as REST's query parameter is
 * called; in GraphQL the argument is `after`.
 */
export async function connection<T>(read: () => Promise<Page<T>>, cursorOf: (node: T) => string): Promise<Connection<T>> {
  let page: Page<T>;
  try {
    page = await read();
  } catch (error) {
    if (!(error instanceof InvalidCursor)) throw error;
    const [{ message }] = error.extensions.errors as { message: string }[];
    throw new InvalidCursor('after', message);
  }
  return toConnection(page, cursorOf);
}
