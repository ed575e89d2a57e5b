import { AssignmentCandidate, leastLoaded, nextInRotation, pickByStrategy } from './assignment-strategies';

const candidate = (agentId: string, overrides: Partial<AssignmentCandidate> = {}): AssignmentCandidate => ({
  agentId, capacity: null, openTickets: 0, lastAssignedAt: null, ...overrides,
});

describe('round robin', () => {
  const team = [candidate('c'), candidate('a'), candidate('b')];

  it('starts with the first member and moves to the next one after the cursor, wrapping around', () => {
    expect(nextInRotation(team, null)).toBe('a');
    expect(nextInRotation(team, 'a')).toBe('b');
    expect(nextInRotation(team, 'c')).toBe('a');
  });

  it('continues after a cursor whose agent left the rotation', () => {
    expect(nextInRotation([candidate('a'), candidate('c')], 'b')).toBe('c');
  });

  it('gives every member the same share over full rounds', () => {
    const counts = new Map<string, number>();
    let last: string | null = null;
    for (let i = 0; i < 30; i++) {
      last = nextInRotation(team, last);
      counts.set(last!, (counts.get(last!) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([10, 10, 10]);
  });

  it('skips members at capacity and picks nobody when all are full', () => {
    expect(nextInRotation([candidate('a'), candidate('b', { capacity: 1, openTickets: 1 }), candidate('c')], 'a')).toBe('c');
    expect(nextInRotation([candidate('a', { capacity: 0 })], null)).toBeNull();
  });
});

describe('load balanced', () => {
  it('picks the member with the fewest open tickets under capacity', () => {
    expect(leastLoaded([candidate('a', { openTickets: 3 }), candidate('b', { openTickets: 1 }), candidate('c', { openTickets: 1, capacity: 1 })])).toBe('b');
  });

  it('breaks ties by least recent assignment, never-assigned first', () => {
    const early = new Date('2025-01-01T00:00:00Z');
    const late = new Date('2025-01-02T00:00:00Z');
    expect(leastLoaded([candidate('a', { lastAssignedAt: late }), candidate('b', { lastAssignedAt: early })])).toBe('b');
    expect(leastLoaded([candidate('a', { lastAssignedAt: early }), candidate('b')])).toBe('b');
  });

  it('picks nobody when everyone is at capacity', () => {
    expect(leastLoaded([candidate('a', { capacity: 2, openTickets: 2 })])).toBeNull();
  });
});

it('manual teams never pick', () => {
  expect(pickByStrategy('manual', [candidate('a')], null)).toBeNull();
});
