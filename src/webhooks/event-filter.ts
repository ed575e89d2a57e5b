import { EVENT_TYPES } from '../events/event-catalogue';

export const ALL_EVENTS = '*';
const KNOWN = new Set<string>(EVENT_TYPES);

export type EventFilterCheck = { events: string[] } | { field: string; message: string };

/** A subscription's event list: known types (deduplicated, in the given order) or exactly ["*"]. */
export function checkEventFilter(events: readonly string[]): EventFilterCheck {
  if (events.length === 0) return { field: 'events', message: 'must name at least one event type, or be ["*"] for all' };
  for (const [index, type] of events.entries()) {
    if (type === ALL_EVENTS) {
      if (events.length > 1) return { field: `events[${index}]`, message: '"*" already means every event; send it alone' };
    } else if (!KNOWN.has(type)) {
      return { field: `events[${index}]`, message: `"${type.slice(0, 100)}" is not a known event type; known types: ${EVENT_TYPES.join(', ')}` };
    }
  }
  return { events: [...new Set(events)] };
}

export function filterMatches(filter: readonly string[], type: string): boolean {
  return filter.includes(ALL_EVENTS) || filter.includes(type);
}
