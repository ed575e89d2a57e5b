import { compileCalendar, isOpenAt } from '../sla/business-time';
import { calendarReferences, conditionErrors, conditionsHold, ConditionSubject } from './rule-conditions';

const subject = (overrides: Partial<ConditionSubject> = {}): ConditionSubject => ({
  status: 'new', priority: 'normal', type: null, tags: ['vip'], subject: 'OUTAGE: site down', body: 'Nothing loads since 9am',
  channel: 'email', requesterEmail: 'jo@Acme.com', assigneeId: null, teamId: null, organizationId: null, changed: {}, openCalendars: new Map(), ...overrides,
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

  describe('business hours', () => {
    const OFFICE = 'a7d1c7f0-3b1e-4c55-9a1e-0d6c3f1f2b10';
    const office = compileCalendar({
      timezone: 'Europe/Berlin',
      weekly: { monday: ['09:00-17:00'], tuesday: ['09:00-17:00'], wednesday: ['09:00-17:00'], thursday: ['09:00-17:00'], friday: ['09:00-17:00'] },
      holidays: [{ date: '2026-05-01', name: 'Labour Day' }],
    });
    const within = { all: [{ field: 'businessHours' as const, operator: 'within' as const, value: OFFICE }] };
    const outside = { all: [{ field: 'businessHours' as const, operator: 'outside' as const, value: OFFICE }] };
    // The caller works out "open now" per calendar; the matcher only reads it.
    const at = (instant: string) => subject({ openCalendars: new Map([[OFFICE, isOpenAt(office, new Date(instant))]]) });

    it.each([
      ['Wednesday 10:00 in Berlin', '2026-03-11T09:00:00Z', true],
      ['Wednesday 08:59 in Berlin', '2026-03-11T07:59:00Z', false],
      ['Wednesday 17:00 in Berlin, the closing minute', '2026-03-11T16:00:00Z', false],
      ['Saturday noon in Berlin', '2026-03-14T11:00:00Z', false],
      ['Sunday noon in Berlin', '2026-03-15T11:00:00Z', false],
      ['Friday 10:00 on a holiday', '2026-05-01T08:00:00Z', false],
      ['Monday 10:00 in summer time', '2026-06-01T08:00:00Z', true],
    ])('%s (%s): within holds = %s, outside the opposite', (_, instant, open) => {
      expect(conditionsHold(within, at(instant))).toBe(open);
      expect(conditionsHold(outside, at(instant))).toBe(!open);
    });

    it('holds neither way for a calendar it knows nothing about (deleted since the rule was saved)', () => {
      expect(conditionsHold(within, subject())).toBe(false);
      expect(conditionsHold(outside, subject())).toBe(false);
    });

    it('needs a calendar id and its own operators', () => {
      expect(conditionErrors({
        all: [
          { field: 'businessHours', operator: 'within', value: OFFICE },
          { field: 'businessHours', operator: 'is', value: OFFICE },
          { field: 'businessHours', operator: 'outside', value: 'office' },
          { field: 'businessHours', operator: 'within' },
          { field: 'subject', operator: 'within', value: 'x' },
        ],
      }, 'conditions')).toEqual([
        { field: 'conditions.all[1].operator', message: 'businessHours supports within, outside' },
        { field: 'conditions.all[2].value', message: 'must be the id of a business-hours calendar' },
        { field: 'conditions.all[3].value', message: 'is required for within' },
        { field: 'conditions.all[4].operator', message: 'subject supports is, contains, not_contains, matches' },
      ]);
    });

    it('lists the calendars conditions name, by the path of their value', () => {
      expect(calendarReferences({ all: [{ field: 'tags', operator: 'contains', value: 'x' }], any: [{ field: 'businessHours', operator: 'outside', value: OFFICE }] }, 'conditions'))
        .toEqual([{ calendarId: OFFICE, field: 'conditions.any[0].value' }]);
    });
  });
});
