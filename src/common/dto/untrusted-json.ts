import { FieldError } from '../errors/domain-errors';

// PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8: either fails deep in a query.
// eslint-disable-next-line no-control-regex -- NUL is the character being looked for.
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unstorableText(text: string): string | null {
  const match = UNSTORABLE_TEXT.exec(text);
  if (!match) return null;
  return match[0] === '\u0000' ? 'must not contain the NUL character (\\u0000)' : 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The first problem in parsed JSON, walked without recursion so no input can overflow the stack: text PostgreSQL
 * cannot store, or nesting deeper than `maxDepth` (a scalar at the top is depth 0, `{"a":1}` is depth 1).
 */
export function inspectUntrustedJson(value: unknown, maxDepth: number, rootPath = '', options: { depthOnly?: boolean } = {}): FieldError | null {
  // `top` is the field the caller wrote at the first level: deep nesting is named by it, not by a path as long as the nesting.
  const pending: Array<{ value: unknown; path: string; top: string; depth: number }> = [{ value, path: rootPath, top: rootPath, depth: 0 }];
  while (pending.length) {
    const { value: current, path, top, depth } = pending.pop()!;
    if (typeof current === 'string' && !options.depthOnly) {
      const problem = unstorableText(current);
      if (problem) return { field: path || 'body', message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current) || current instanceof Date) continue;
    if (depth >= maxDepth) return { field: top || 'body', message: `must not nest deeper than ${maxDepth} levels` };
    const entries: Array<[string | number, unknown]> = Array.isArray(current) ? current.map((item, index) => [index, item]) : Object.entries(current);
    for (const [key, item] of entries) {
      const keyProblem = typeof key === 'string' && !options.depthOnly ? unstorableText(key) : null;
      if (keyProblem) return { field: path || 'body', message: `has a key that ${keyProblem}` };
      const itemPath = childPath(path, key);
      pending.push({ value: item, path: itemPath, top: depth === 0 ? itemPath : top, depth: depth + 1 });
    }
  }
  return null;
}

/** Nesting depth of JSON, without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const item of Array.isArray(current) ? current : Object.values(current)) pending.push({ value: item, depth: depth + 1 });
  }
  return deepest;
}
