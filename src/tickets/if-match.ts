import { ValidationFailed } from '../common/errors/domain-errors';

/** The longest If-Match worth reading: W/"999999999" with some spaces around it. */
export const MAX_IF_MATCH = 64;

/** Reads `If-Match: "7"` (or W/"7", or a bare 7) into the version it names. */
export function parseIfMatch(header: string | undefined): { raw: string; version: number } | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = header.length <= MAX_IF_MATCH ? /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header) : null;
  if (!match) throw ValidationFailed.field('If-Match', 'must be the ETag of a ticket read, e.g. "3"');
  return { raw: header.trim(), version: Number(match[1]) };
}
