import { MATCH_END, MATCH_START } from './search.repository';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Message text is untrusted: escape all of it, then mark the matches, so a snippet is safe to render as HTML. */
export function toSafeHighlight(headline: string | null): string | null {
  if (headline === null) return null;
  return headline
    .replace(/[&<>"']/g, (char) => ESCAPES[char])
    .split(MATCH_START).join('<mark>')
    .split(MATCH_END).join('</mark>');
}
