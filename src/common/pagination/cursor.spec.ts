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
});
