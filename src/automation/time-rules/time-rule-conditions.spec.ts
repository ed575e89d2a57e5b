import { compileCalendar } from '../../sla/business-time';
import { conditionErrors, conditionsHold, ConditionSubject, periodStart, RuleConditions, ruleShapeErrors, TimeMarks } from '../rule-conditions';
import { businessMillisBetween } from '../../sla/business-time';
import { businessMinutesBefore, candidateFilter, PASS_OVERLAP_MS, sincePrevious } from './time-rule-candidates';

const NOW = new Date('2026-03-09T15:00:00.000Z'); // Monday 15:00 UTC
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const marks = (overrides: Partial<TimeMarks> = {}): TimeMarks => ({
  createdAt: minutesAgo(10_000), updatedAt: minutesAgo(60), statusChangedAt: minutesAgo(3000), requesterRepliedAt: minutesAgo(45), agentRepliedAt: null, ...overrides,
});
const CALENDAR = '7f1c2a1e-0000-4000-8000-000000000001';
// Weekdays 09:00-17:00 UTC.
const office = compileCalendar({
  timezone: 'UTC', weekly: Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, ['09:00-17:00']])), holidays: [],
});
const subject = (timeMarks: TimeMarks | null = marks(), now = NOW): ConditionSubject => ({
  status: 'pending', priority: 'urgent', type: null, tags: [], subject: 's', body: '', channel: 'email', requesterEmail: null, assigneeId: null, teamId: null, organizationId: null,
  changed: {}, openCalendars: new Map(), time: { now, marks: timeMarks, calendars: new Map([[CALENDAR, office]]) },
});

describe('time rule conditions', () => {
  it('compares wall-clock minutes since a mark with at_least and less_than', () => {
    const pending48h: RuleConditions = { all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: '2880' }] };
    expect(conditionsHold(pending48h, subject())).toBe(true);
    expect(conditionsHold(pending48h, subject(marks({ statusChangedAt: minutesAgo(2879) })))).toBe(false);
    expect(conditionsHold({ all: [{ field: 'minutesSinceUpdated', operator: 'less_than', value: '61' }] }, subject())).toBe(true);
    expect(conditionsHold({ all: [{ field: 'minutesSinceUpdated', operator: 'less_than', value: '60' }] }, subject())).toBe(false);
    // No agent reply yet, and no marks at all: the condition cannot hold either way.
    expect(conditionsHold({ all: [{ field: 'minutesSinceAgentReply', operator: 'less_than', value: '10' }] }, subject())).toBe(false);
    expect(conditionsHold({ all: [{ field: 'minutesSinceCreated', operator: 'at_least', value: '1' }] }, subject(null))).toBe(false);
  });

  it('counts business minutes of the named calendar', () => {
    // The requester wrote at 07:00 on Monday: 480 wall-clock minutes, but only 360 business minutes (from 09:00).
    const at = marks({ requesterRepliedAt: new Date('2026-03-09T07:00:00.000Z') });
    const business = (minutes: number, operator: 'at_least' | 'less_than' = 'at_least'): RuleConditions =>
      ({ all: [{ field: 'businessMinutesSinceRequesterReply', operator, value: String(minutes), businessHoursId: CALENDAR }] });
    expect(conditionsHold(business(360), subject(at))).toBe(true);
    expect(conditionsHold(business(361), subject(at))).toBe(false);
    expect(conditionsHold(business(361, 'less_than'), subject(at))).toBe(true);
    expect(conditionsHold({ all: [{ field: 'minutesSinceRequesterReply', operator: 'at_least', value: '480' }] }, subject(at))).toBe(true);
    // A calendar deleted since the rule was saved: the condition holds neither way.
    const unknown = { all: [{ field: 'businessMinutesSinceRequesterReply' as const, operator: 'at_least' as const, value: '1', businessHoursId: '7f1c2a1e-0000-4000-8000-000000000009' }] };
    expect(conditionsHold(unknown, subject(at))).toBe(false);
  });

  it('refuses malformed time conditions, naming the field', () => {
    const errors = conditionErrors({
      all: [
        { field: 'minutesSinceCreated', operator: 'is', value: '5' },
        { field: 'minutesSinceCreated', operator: 'at_least', value: '1.5' },
        { field: 'minutesSinceCreated', operator: 'at_least', value: '0' },
        { field: 'businessMinutesSinceCreated', operator: 'at_least', value: '30' },
        { field: 'minutesSinceCreated', operator: 'at_least', value: '30', businessHoursId: CALENDAR },
        { field: 'status', operator: 'is', value: 'open', businessHoursId: CALENDAR },
      ],
    }, 'conditions');
    expect(errors.map((error) => error.field)).toEqual([
      'conditions.all[0].operator', 'conditions.all[1].value', 'conditions.all[2].value', 'conditions.all[3].businessHoursId', 'conditions.all[4].businessHoursId', 'conditions.all[5].businessHoursId',
    ]);
  });

  it('keeps time rules and change rules apart', () => {
    const timed = { all: [{ field: 'minutesSinceCreated' as const, operator: 'at_least' as const, value: '5' }] };
    expect(ruleShapeErrors(['time'], timed, 'conditions')).toEqual([]);
    expect(ruleShapeErrors(['time', 'ticket.updated'], timed, 'conditions').map((error) => error.field)).toEqual(['events']);
    expect(ruleShapeErrors(['ticket.updated'], timed, 'conditions').map((error) => error.field)).toEqual(['conditions.all[0].field']);
    expect(ruleShapeErrors(['time'], { all: [{ field: 'minutesSinceCreated', operator: 'less_than', value: '5' }] }, 'conditions').map((error) => error.field)).toEqual(['conditions.all']);
    expect(ruleShapeErrors(['time'], { all: [...timed.all, { field: 'status', operator: 'changed_to', value: 'open' }] }, 'conditions').map((error) => error.field))
      .toEqual(['conditions.all[1].operator']);
  });

  it('starts the period at the latest mark an at_least condition measures from', () => {
    const both: RuleConditions = {
      all: [{ field: 'minutesSinceStatusChanged', operator: 'at_least', value: '10' }, { field: 'minutesSinceRequesterReply', operator: 'at_least', value: '10' }, { field: 'minutesSinceUpdated', operator: 'less_than', value: '5' }],
    };
    expect(periodStart(both, marks())).toEqual(minutesAgo(45));
    expect(periodStart(both, marks({ requesterRepliedAt: null }))).toBeNull();
  });

  it('derives the SQL pre-filter: statuses, priorities, wall-clock bounds and period marks', () => {
    const filter = candidateFilter({
      all: [
        { field: 'status', operator: 'is_not', value: 'pending' }, { field: 'priority', operator: 'is', value: 'URGENT' },
        { field: 'businessMinutesSinceRequesterReply', operator: 'at_least', value: '30', businessHoursId: CALENDAR },
        { field: 'minutesSinceAgentReply', operator: 'less_than', value: '10' },
        { field: 'businessMinutesSinceUpdated', operator: 'less_than', value: '10', businessHoursId: CALENDAR },
      ],
      any: [{ field: 'status', operator: 'is', value: 'new' }],
    }, NOW);
    expect(filter).toEqual({
      statuses: ['new', 'open', 'on_hold', 'resolved'], priorities: ['urgent'],
      atMost: [{ mark: 'requesterRepliedAt', at: minutesAgo(30) }], laterThan: [{ mark: 'agentRepliedAt', at: minutesAgo(10) }], periodMarks: ['requesterRepliedAt'],
    });
    expect(candidateFilter({ all: [{ field: 'status', operator: 'is', value: 'closed' }, { field: 'minutesSinceCreated', operator: 'at_least', value: '1' }] }, NOW)).toBeNull();
  });

  it('after a complete pass, looks only at bounds crossed and tickets changed since (with an overlap)', () => {
    const previous = minutesAgo(1);
    const conditions: RuleConditions = {
      all: [
        { field: 'minutesSinceStatusChanged', operator: 'at_least', value: '2880' },
        { field: 'businessMinutesSinceRequesterReply', operator: 'at_least', value: '30', businessHoursId: CALENDAR },
      ],
    };
    const narrowedFilter = sincePrevious(candidateFilter(conditions, NOW)!, conditions, previous, new Map([[CALENDAR, office]]));
    const from = new Date(previous.getTime() - PASS_OVERLAP_MS);
    expect(narrowedFilter.since!.updatedAfter).toEqual(from);
    expect(narrowedFilter.since!.crossed[0]).toEqual({ mark: 'statusChangedAt', after: new Date(from.getTime() - 2880 * 60_000) });
    // Monday 14:54 minus 30 business minutes of a 09:00-17:00 calendar is 14:24.
    expect(narrowedFilter.since!.crossed[1].mark).toBe('requesterRepliedAt');
    expect(Math.abs(narrowedFilter.since!.crossed[1].after.getTime() - new Date('2026-03-09T14:24:00.000Z').getTime())).toBeLessThanOrEqual(1000);
    // Across a weekend: 30 business minutes before Monday 09:10 ends on Friday 16:40.
    const before = businessMinutesBefore(office, new Date('2026-03-09T09:10:00.000Z'), 30);
    expect(Math.abs(before.getTime() - new Date('2026-03-06T16:40:00.000Z').getTime())).toBeLessThanOrEqual(1000);
    expect(businessMillisBetween(office, before, new Date('2026-03-09T09:10:00.000Z'))).toBeGreaterThanOrEqual(30 * 60_000);
    // Business-hours conditions change with time alone, and a deleted calendar cannot be narrowed: full range.
    const staffed: RuleConditions = { all: [...conditions.all!, { field: 'businessHours', operator: 'within', value: CALENDAR }] };
    expect(sincePrevious(candidateFilter(staffed, NOW)!, staffed, previous, new Map()).since).toBeUndefined();
    expect(sincePrevious(candidateFilter(conditions, NOW)!, conditions, previous, new Map()).since).toBeUndefined();
  });
});
