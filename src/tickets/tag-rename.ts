/** Renaming or removing one tag wherever tags are kept (tickets, macro and rule actions, view filters); pure. */

const normal = (tag: string) => tag.trim().toLowerCase();

/** The list with `from` replaced by `to` (or removed when `to` is null), deduplicated; null when `from` is not in it. */
export function renameTagIn(tags: string[], from: string, to: string | null): string[] | null {
  if (!tags.some((tag) => normal(tag) === from)) return null;
  const seen = new Set<string>();
  return tags.flatMap((tag) => (normal(tag) === from ? (to === null ? [] : [to]) : [tag])).filter((tag) => {
    if (seen.has(normal(tag))) return false;
    seen.add(normal(tag));
    return true;
  });
}

/** A search-box query with its tag:from (and -tag:from) terms renamed, or dropped when `to` is null; null when unchanged. */
export function renameTagInQuery(q: string, from: string, to: string | null): string | null {
  let changed = false;
  const terms = q.split(/\s+/).filter(Boolean).flatMap((term) => {
    const match = /^(-?)tag:(.*)$/is.exec(term);
    if (!match || normal(match[2]) !== from) return [term];
    changed = true;
    return to === null ? [] : [`${match[1]}tag:${to}`];
  });
  return changed ? terms.join(' ') : null;
}
