import fc from 'fast-check';
import { InvalidCursor } from '../errors/domain-errors';
import { CursorValueKind, decodeCursor, encodeCursor } from './cursor';

const KINDS: CursorValueKind[] = ['timestamp', 'integer', 'number'];

describe('cursors', () => {
  it('decodes every cursor it encodes', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }), (id, date, position) => {
        expect(decodeCursor(encodeCursor('createdAt', { sortValue: date.toISOString(), id }), 'createdAt', 'timestamp')).toEqual({ sortValue: date.toISOString(), id });
        expect(decodeCursor(encodeCursor('position', { sortValue: position, id }), 'position', 'integer')).toEqual({ sortValue: position, id });
      }),
    );
  });

  it('refuses anything else with InvalidCursor and never another error', () => {
    const forged = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
      fc.tuple(fc.constant('createdAt'), fc.jsonValue({ maxDepth: 1 }), fc.oneof(fc.uuid(), fc.string())).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
    );
    fc.assert(
      fc.property(forged, fc.constantFrom(...KINDS), (cursor, kind) => {
        try {
          const position = decodeCursor(cursor, 'createdAt', kind);
          // The rare forgery that is well-formed must at least be safe to bind as a parameter.
          expect(position.id).toMatch(/^[0-9a-f-]{36}$/i);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCursor);
        }
      }),
    );
  });

  it('refuses values PostgreSQL would reject for the sort column', () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const forge = (value: unknown) => Buffer.from(JSON.stringify(['s', value, id])).toString('base64url');
    expect(() => decodeCursor(forge('2026-02-30T00:00:00.000Z'), 's', 'timestamp')).toThrow(InvalidCursor);
    expect(() => decodeCursor(forge('yesterday'), 's', 'timestamp')).toThrow(InvalidCursor);
    expect(() => decodeCursor(forge(1.5), 's', 'integer')).toThrow(InvalidCursor);
    expect(() => decodeCursor(forge(2 ** 31), 's', 'integer')).toThrow(InvalidCursor);
    expect(() => decodeCursor(forge('1'), 's', 'number')).toThrow(InvalidCursor);
    expect(() => decodeCursor(Buffer.from(JSON.stringify(['s', 1, 'not-a-uuid'])).toString('base64url'), 's', 'integer')).toThrow(InvalidCursor);
  });

  const id = '3e7c9a1f-6d4b-4f2e-a8c5-9b1d3f7e5a60';
  const issued = encodeCursor('-createdAt', { sortValue: '2026-12-04T09:15:00.000Z', id });

  it('is URL-safe text, so it can go into a query string as it is', () => {
    fc.assert(fc.property(fc.uuid(), fc.integer(), (uuid, position) => expect(encodeCursor('position', { sortValue: position, id: uuid })).toMatch(/^[A-Za-z0-9_-]+$/)));
  });

  it('refuses a cursor issued for another sort, saying so, and names the field it came in', () => {
    const refusal = (() => {
      try {
        decodeCursor(issued, 'updatedAt', 'timestamp', 'after');
      } catch (error) {
        return error as InvalidCursor;
      }
    })();
    expect(refusal).toBeInstanceOf(InvalidCursor);
    expect(refusal?.status).toBe(400);
    expect(refusal?.detail).toBe('Invalid cursor: after was issued for sort "-createdAt"; repeat the same sort, or start again without a cursor.');
    expect(refusal?.extensions.errors).toEqual([{ field: 'after', message: expect.stringContaining('-createdAt') }]);
  });

  it('refuses a truncated, extended or empty cursor', () => {
    for (const cursor of [issued.slice(0, -1), issued.slice(0, 10), `${issued}.x`, `${issued}AA`, '', ' ']) {
      expect(() => decodeCursor(cursor, '-createdAt', 'timestamp')).toThrow(InvalidCursor);
    }
    // base64 padding adds no bytes, so a padded cursor is the same position.
    expect(decodeCursor(`${issued}==`, '-createdAt', 'timestamp')).toEqual({ sortValue: '2026-12-04T09:15:00.000Z', id });
  });

  it('answers a cursor with any one character changed with InvalidCursor or a well-formed position, never another error', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=%.';
    fc.assert(
      fc.property(fc.nat(issued.length - 1), fc.constantFrom(...alphabet), (index, character) => {
        const tampered = issued.slice(0, index) + character + issued.slice(index + 1);
        try {
          const position = decodeCursor(tampered, '-createdAt', 'timestamp');
          // Cursors are not secret: a changed one is just another place in the caller's own, workspace-scoped list.
          expect(new Date(position.sortValue).toISOString()).toBe(position.sortValue);
          expect(position.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCursor);
        }
      }),
    );
  });
});
