import { EVENT_TYPES } from '../../events/event-catalogue';

const KNOWN = new Set<string>(EVENT_TYPES);
const PREFIXES = new Set(EVENT_TYPES.map((type) => type.slice(0, type.indexOf('.') + 1)));
const MAX_TYPES = 50;

/** What a feed reader asked for: types by exact name or `prefix.*`, and one subject (a ticket). */
export interface EventSelection {
  types: string[];
  typePrefixes: string[];
  ticketId: string | null;
}

export type SelectionCheck = { selection: EventSelection } | { field: string; message: string };

/** `types` as sent: comma-separated names, each a known type or `<prefix>.*`; empty means every type. */
export function parseTypes(raw: string | undefined, ticketId: string | null = null): SelectionCheck {
  const selection: EventSelection = { types: [], typePrefixes: [], ticketId };
  const parts = (raw ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length > MAX_TYPES) return { field: 'types', message: `names at most ${MAX_TYPES} types` };
  for (const part of parts) {
    if (part.endsWith('.*')) {
      const prefix = part.slice(0, -1);
      if (!PREFIXES.has(prefix)) return { field: 'types', message: `"${part.slice(0, 100)}" matches no event type; known prefixes: ${[...PREFIXES].map((p) => p + '*').join(', ')}` };
      if (!selection.typePrefixes.includes(prefix)) selection.typePrefixes.push(prefix);
    } else if (KNOWN.has(part)) {
      if (!selection.types.includes(part)) selection.types.push(part);
    } else {
      return { field: 'types', message: `"${part.slice(0, 100)}" is not a known event type or "<prefix>.*"; known types: ${EVENT_TYPES.join(', ')}` };
    }
  }
  return { selection };
}

export function typeSelected(selection: Pick<EventSelection, 'types' | 'typePrefixes'>, type: string): boolean {
  if (!selection.types.length && !selection.typePrefixes.length) return true;
  return selection.types.includes(type) || selection.typePrefixes.some((prefix) => type.startsWith(prefix));
}

/**
 * A feed cursor is the feed position of the last event read, as decimal text ("0" is the start). Positions are
 * per workspace, so a cursor means nothing in another workspace and reveals nothing beyond a count.
 */
export function parseCursor(raw: string): string | null {
  return /^(0|[1-9]\d{0,17})$/.test(raw) ? raw : null;
}

export function laterCursor(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}
