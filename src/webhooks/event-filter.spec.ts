import { checkEventFilter, filterMatches } from './event-filter';

describe('webhook event filters', () => {
  it('accepts known types, deduplicated, or the wildcard alone', () => {
    expect(checkEventFilter(['agent.created', 'ticket.created', 'agent.created'])).toEqual({ events: ['agent.created', 'ticket.created'] });
    expect(checkEventFilter(['*'])).toEqual({ events: ['*'] });
  });

  it('names the offending entry', () => {
    expect(checkEventFilter(['agent.created', 'ticket.exploded'])).toMatchObject({ field: 'events[1]', message: expect.stringContaining('"ticket.exploded" is not a known event type') });
    expect(checkEventFilter(['agent.created', '*'])).toMatchObject({ field: 'events[1]' });
    expect(checkEventFilter([])).toMatchObject({ field: 'events' });
  });

  it('matches by type or wildcard', () => {
    expect(filterMatches(['*'], 'contact.created')).toBe(true);
    expect(filterMatches(['agent.created'], 'agent.created')).toBe(true);
    expect(filterMatches(['agent.created'], 'agent.updated')).toBe(false);
  });
});
