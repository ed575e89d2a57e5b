import { ValidationFailed } from '../common/errors/domain-errors';

/** Reads `If-Match: "7"` (or W/"7", or a bare 7) into the version it names. */
export function parseIfMatch(header: string | undefined): { raw: string; version: number } | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw ValidationFailed.field('If-Match', 'must be the ETag of a ticket read, e.g. "3"');
  return { raw: header.trim(), version: Number(match[1]) };
}
