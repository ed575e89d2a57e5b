import { InvalidCursor } from '../common/errors/domain-errors';
import { connection, toConnection } from './connection';

const cursorOf = (row: { id: string }) => `c:${row.id}`;

describe('toConnection', () => {
  it('gives every row its cursor and ends on the last row, on the last page too', () => {
    const more = toConnection({ data: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c:b' }, cursorOf);
    expect(more.edges.map((edge) => edge.cursor)).toEqual(['c:a', 'c:b']);
    expect(more.pageInfo).toEqual({ hasNextPage: true, endCursor: 'c:b' });
    expect(toConnection({ data: [{ id: 'z' }], nextCursor: null }, cursorOf).pageInfo).toEqual({ hasNextPage: false, endCursor: 'c:z' });
    expect(toConnection({ data: [], nextCursor: null }, cursorOf).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('refuses a cursor function that disagrees with the service\'s nextCursor', () => {
    expect(() => toConnection({ data: [{ id: 'a' }], nextCursor: 'other' }, cursorOf)).toThrow(/disagrees/);
  });

  it('names a refused cursor after the GraphQL argument', async () => {
    const refused = connection(() => Promise.reject(new InvalidCursor('cursor', 'is not a cursor issued by this API')), cursorOf);
    await expect(refused).rejects.toMatchObject({ extensions: { errors: [{ field: 'after', message: 'is not a cursor issued by this API' }] } });
  });
});
