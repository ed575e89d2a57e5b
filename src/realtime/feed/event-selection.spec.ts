import { laterCursor, parseCursor, parseTypes, typeSelected } from './event-selection';

describe('event selection', () => {
  it('takes exact names and prefixes, deduplicated', () => {
    expect(parseTypes('ticket.*, sla.breached,ticket.*')).toEqual({ selection: { types: ['sla.breached'], typePrefixes: ['ticket.'], ticketId: null } });
  });

  it('names the field for an unknown type or prefix', () => {
    expect(parseTypes('ticket.exploded')).toMatchObject({ field: 'types' });
    expect(parseTypes('nothing.*')).toMatchObject({ field: 'types' });
    expect(parseTypes('*')).toMatchObject({ field: 'types' });
  });

  it('matches every type when nothing is asked', () => {
    expect(typeSelected({ types: [], typePrefixes: [] }, 'team.created')).toBe(true);
    expect(typeSelected({ types: ['sla.breached'], typePrefixes: ['ticket.'] }, 'ticket.updated')).toBe(true);
    expect(typeSelected({ types: ['sla.breached'], typePrefixes: ['ticket.'] }, 'sla.warning')).toBe(false);
  });

  it('accepts decimal positions only', () => {
    expect(parseCursor('0')).toBe('0');
    expect(parseCursor('12345')).toBe('12345');
    for (const bad of ['', '-1', '01', '1e3', 'abc', '1234567890123456789']) expect(parseCursor(bad)).toBeNull();
    expect(laterCursor('9', '10')).toBe('10');
  });
});
