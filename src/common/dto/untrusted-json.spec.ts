import { inspectUntrustedJson, jsonDepth } from './untrusted-json';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

describe('untrusted JSON', () => {
  it('walks a million levels without overflowing the stack', () => {
    const deep = JSON.parse('{"a":'.repeat(1_000_000) + '1' + '}'.repeat(1_000_000));
    expect(inspectUntrustedJson(deep, 64)).toEqual({ field: 'a', message: 'must not nest deeper than 64 levels' });
    expect(jsonDepth(deep, 16)).toBe(17);
  });

  it('allows exactly the limit, counting the outermost object as the first level', () => {
    expect(inspectUntrustedJson(nested(4), 4)).toBeNull();
    expect(inspectUntrustedJson(nested(5), 4)?.message).toBe('must not nest deeper than 4 levels');
    expect(jsonDepth(nested(4), 16)).toBe(4);
    expect(jsonDepth('text', 16)).toBe(0);
  });

  it('names the field holding text PostgreSQL cannot store, keys included', () => {
    expect(inspectUntrustedJson({ message: { body: 'a\u0000' } }, 64)).toEqual({ field: 'message.body', message: expect.stringContaining('NUL') });
    expect(inspectUntrustedJson({ tags: ['ok', '\udc00'] }, 64)?.field).toBe('tags[1]');
    expect(inspectUntrustedJson({ customFields: { 'k\u0000': 1 } }, 64)?.field).toBe('customFields');
    expect(inspectUntrustedJson('x\ud800', 64, 'q')?.field).toBe('q');
    expect(inspectUntrustedJson({ name: '🎉 \ud83d\ude00' }, 64)).toBeNull();
  });
});
