import { conditionErrors, conditionsHold, ConditionSubject } from './rule-conditions';

const subject = (overrides: Partial<ConditionSubject> = {}): ConditionSubject => ({
  status: 'new', priority: 'normal', type: null, tags: ['vip'], subject: 'OUTAGE: site down', body: 'Nothing loads since 9am',
  channel: 'email', requesterEmail: 'jo@Acme.com', assigneeId: null, teamId: null, changed: {}, ...overrides,
});

describe('rule conditions', () => {
  it('compares text case-insensitively', () => {
    expect(conditionsHold({ all: [{ field: 'subject', operator: 'contains', value: 'outage' }] }, subject())).toBe(true);
    expect(conditionsHold({ all: [{ field: 'requester.emailDomain', operator: 'is', value: 'ACME.COM' }] }, subject())).toBe(true);
    expect(conditionsHold({ all: [{ field: 'body', operator: 'matches', value: 'since \\d+am' }] }, subject())).toBe(true);
    expect(conditionsHold({ all: [{ field: 'tags', operator: 'contains', value: 'VIP' }] }, subject())).toBe(true);
  });

  it('needs every all condition and at least one any condition', () => {
    const conditions = {
      all: [{ field: 'channel' as const, operator: 'is' as const, value: 'email' }],
      any: [{ field: 'priority' as const, operator: 'is' as const, value: 'high' }, { field: 'assignee' as const, operator: 'is_not_set' as const }],
    };
    expect(conditionsHold(conditions, subject())).toBe(true);
    expect(conditionsHold(conditions, subject({ assigneeId: 'a' }))).toBe(false);
    expect(conditionsHold(conditions, subject({ channel: 'chat' }))).toBe(false);
    expect(conditionsHold({}, subject())).toBe(true);
  });

  it('tells "is" from "changed to"', () => {
    const condition = { all: [{ field: 'status' as const, operator: 'changed_to' as const, value: 'pending' }] };
    expect(conditionsHold(condition, subject({ status: 'pending' }))).toBe(false);
    expect(conditionsHold(condition, subject({ status: 'pending', changed: { status: { before: 'open', after: 'pending' } } }))).toBe(true);
  });

  it('names invalid conditions by path', () => {
    expect(conditionErrors({
      all: [{ field: 'tags', operator: 'matches', value: 'x' }, { field: 'subject', operator: 'matches', value: '(' }],
      any: [{ field: 'team', operator: 'is_set', value: 'x' }, { field: 'status', operator: 'is' }],
    }, 'conditions').map((error) => error.field)).toEqual(['conditions.all[0].operator', 'conditions.all[1].value', 'conditions.any[0].value', 'conditions.any[1].value']);
  });
});
