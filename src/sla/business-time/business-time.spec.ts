import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  BusinessCalendar,
  CalendarNeverOpensError,
  CompiledCalendar,
  Holiday,
  SpecialDay,
  WEEKDAYS,
  Weekday,
  addBusinessMillis,
  addBusinessMinutes,
  businessMillisBetween,
  businessMinutesBetween,
  compileCalendar,
  isOpenAt,
  nextOpening,
  validateBusinessCalendar,
} from './index';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';

/** An unambiguous local wall time in `zone`, written yyyy-MM-ddTHH:mm. */
function at(zone: string, localTime: string): Date {
  const dateTime = DateTime.fromISO(localTime, { zone });
  if (!dateTime.isValid) throw new Error(`bad test time ${localTime}`);
  return dateTime.toJSDate();
}

function localTimeOf(zone: string, instant: Date | null): string | null {
  return instant && DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

function weeklyOn(days: readonly Weekday[], intervals: string[]): BusinessCalendar['weekly'] {
  return Object.fromEntries(days.map((day) => [day, intervals]));
}

const MONDAY_TO_FRIDAY = WEEKDAYS.slice(0, 5);

function calendar(timezone: string, weekly: BusinessCalendar['weekly'], holidays: Holiday[] = [], specialDays: SpecialDay[] = []): CompiledCalendar {
  return compileCalendar({ timezone, weekly, holidays, specialDays });
}

describe('around the clock (null calendar)', () => {
  const start = at(NEW_YORK, '2026-10-31T12:00');

  it('counts business minutes as elapsed wall-clock minutes, including over a DST change', () => {
    expect(businessMinutesBetween(null, at(NEW_YORK, '2026-11-01T00:00'), at(NEW_YORK, '2026-11-02T00:00'))).toBe(
      25 * 60,
    );
    expect(businessMinutesBetween(null, start, new Date(start.getTime() + 30_000))).toBe(0.5);
    expect(addBusinessMinutes(null, start, 36 * 60)).toEqual(new Date(start.getTime() + 36 * HOUR));
  });

  it('is always open', () => {
    expect(isOpenAt(null, start)).toBe(true);
    expect(nextOpening(null, start)).toEqual(start);
    expect(addBusinessMinutes(null, start, 0)).toEqual(start);
  });
});

describe('a Friday-evening request', () => {
  it('is due on Monday once four business hours have elapsed', () => {
    const officeHours = calendar(NEW_YORK, weeklyOn(MONDAY_TO_FRIDAY, ['09:00-17:00']));
    const due = addBusinessMinutes(officeHours, at(NEW_YORK, '2026-11-27T17:30'), 4 * 60);
    expect(localTimeOf(NEW_YORK, due)).toBe('2026-11-30T13:00');
    expect(businessMinutesBetween(officeHours, at(NEW_YORK, '2026-11-27T17:30'), due)).toBe(240);
  });
});

describe('days on which the UTC offset changes', () => {
  // [zone, the Sunday of the change, its real length in hours, the Saturday night shift 22:00-06:00 in real hours]
  const changeDays: Array<[string, string, number, number]> = [
    [NEW_YORK, '2026-03-08', 23, 7],
    [NEW_YORK, '2026-11-01', 25, 9],
    [BERLIN, '2026-03-29', 23, 7],
    [BERLIN, '2026-10-25', 25, 9],
  ];

  describe.each(changeDays)('%s on %s', (zone, date, dayHours, nightShiftHours) => {
    const day = DateTime.fromISO(date, { zone });
    const local = (dayOffset: number, time: string) => at(zone, `${day.plus({ days: dayOffset }).toISODate()}T${time}`);

    it('keeps a 09:00-17:00 day at 8 real hours, 09:00 to 17:00 local', () => {
      const officeHours = calendar(zone, weeklyOn(WEEKDAYS, ['09:00-17:00']));
      expect(businessMinutesBetween(officeHours, local(0, '00:00'), local(1, '00:00'))).toBe(8 * 60);
      expect(localTimeOf(zone, addBusinessMinutes(officeHours, local(-1, '16:00'), 120))).toBe(`${date}T10:00`);
      expect(localTimeOf(zone, nextOpening(officeHours, local(0, '00:30')))).toBe(`${date}T09:00`);
      expect(isOpenAt(officeHours, local(0, '16:59'))).toBe(true);
      expect(isOpenAt(officeHours, local(0, '17:00'))).toBe(false);
    });

    it(`gives a whole-day calendar ${dayHours} real hours that day`, () => {
      const wholeDays = calendar(zone, weeklyOn(WEEKDAYS, ['00:00-24:00']));
      expect(businessMinutesBetween(wholeDays, local(0, '00:00'), local(1, '00:00'))).toBe(dayHours * 60);
      expect(businessMinutesBetween(wholeDays, local(-3, '12:00'), local(3, '12:00'))).toBe(
        businessMinutesBetween(null, local(-3, '12:00'), local(3, '12:00')),
      );
    });

    it(`gives the night shift crossing the change ${nightShiftHours} real hours`, () => {
      const nightShift = calendar(zone, weeklyOn(WEEKDAYS, ['22:00-06:00']));
      const shiftStart = local(-1, '22:00');
      expect(businessMinutesBetween(nightShift, local(-1, '20:00'), local(0, '08:00'))).toBe(nightShiftHours * 60);
      expect(addBusinessMinutes(nightShift, shiftStart, 6 * 60)).toEqual(new Date(shiftStart.getTime() + 6 * HOUR));
      expect(localTimeOf(zone, addBusinessMinutes(nightShift, shiftStart, nightShiftHours * 60))).toBe(
        `${date}T06:00`,
      );
      expect(localTimeOf(zone, addBusinessMinutes(nightShift, shiftStart, nightShiftHours * 60 + 1))).toBe(
        `${date}T22:01`,
      );
    });
  });

  describe('inside the skipped or repeated hour in New York', () => {
    const onlySunday = (interval: string) => ({ sunday: [interval] });
    const minutesOnSunday = (cal: CompiledCalendar, date: string) => {
      const midnight = DateTime.fromISO(date, { zone: NEW_YORK });
      return businessMinutesBetween(cal, midnight.toJSDate(), midnight.plus({ days: 1 }).toJSDate());
    };

    it('counts 01:00-04:00 on spring-forward day as 2 real hours', () => {
      const early = calendar(NEW_YORK, onlySunday('01:00-04:00'));
      expect(minutesOnSunday(early, '2026-03-08')).toBe(120);
      expect(localTimeOf(NEW_YORK, addBusinessMinutes(early, at(NEW_YORK, '2026-03-08T01:30'), 60))).toBe(
        '2026-03-08T03:30',
      );
    });

    it('opens an interval starting in the skipped hour when the clock jumps to 03:00', () => {
      const skippedStart = calendar(NEW_YORK, onlySunday('02:30-05:00'));
      const jump = new Date('2026-03-08T07:00:00Z');
      expect(nextOpening(skippedStart, at(NEW_YORK, '2026-03-08T01:00'))).toEqual(jump);
      expect(businessMinutesBetween(skippedStart, jump, at(NEW_YORK, '2026-03-09T00:00'))).toBe(120);
      expect(isOpenAt(skippedStart, new Date(jump.getTime() - 1))).toBe(false);
    });

    it('counts an interval lying entirely in the skipped hour as nothing', () => {
      const vanished = calendar(NEW_YORK, { sunday: ['02:00-02:30', '10:00-11:00'] });
      const due = addBusinessMinutes(vanished, at(NEW_YORK, '2026-03-08T00:00'), 30);
      expect(localTimeOf(NEW_YORK, due)).toBe('2026-03-08T10:30');
    });

    it('counts 01:00-04:00 on fall-back day as 4 real hours', () => {
      const early = calendar(NEW_YORK, onlySunday('01:00-04:00'));
      expect(minutesOnSunday(early, '2026-11-01')).toBe(240);
    });

    it('places wall times of the repeated hour at their first occurrence', () => {
      const repeated = calendar(NEW_YORK, onlySunday('01:00-01:30'));
      expect(isOpenAt(repeated, new Date('2026-11-01T05:15:00Z'))).toBe(true); // 01:15 EDT
      expect(isOpenAt(repeated, new Date('2026-11-01T06:15:00Z'))).toBe(false); // 01:15 EST
      expect(minutesOnSunday(repeated, '2026-11-01')).toBe(30);
    });
  });
});

describe('holidays', () => {
  const officeHours = (holidays: Holiday[]) =>
    calendar(NEW_YORK, weeklyOn(MONDAY_TO_FRIDAY, ['09:00-17:00']), holidays);
  const due = (cal: CompiledCalendar, localStart: string, minutes: number) =>
    localTimeOf(NEW_YORK, addBusinessMinutes(cal, at(NEW_YORK, localStart), minutes));

  it('closes a single date', () => {
    const christmas = officeHours([{ date: '2026-12-25', name: 'Christmas Day' }]);
    expect(due(christmas, '2026-12-24T16:00', 120)).toBe('2026-12-28T10:00');
    expect(businessMinutesBetween(christmas, at(NEW_YORK, '2026-12-24T09:00'), at(NEW_YORK, '2026-12-28T17:00'))).toBe(
      16 * 60,
    );
    expect(isOpenAt(christmas, at(NEW_YORK, '2026-12-25T12:00'))).toBe(false);
    expect(due(christmas, '2027-12-23T16:00', 120)).toBe('2027-12-24T10:00');
  });

  it('closes every day of a range, both ends included', () => {
    const winterBreak = officeHours([{ from: '2026-12-24', to: '2026-12-31', name: 'Winter break' }]);
    expect(due(winterBreak, '2026-12-23T16:00', 120)).toBe('2027-01-01T10:00');
    expect(localTimeOf(NEW_YORK, nextOpening(winterBreak, at(NEW_YORK, '2026-12-24T08:00')))).toBe(
      '2027-01-01T09:00',
    );
  });

  it('repeats a yearly holiday in earlier and later years', () => {
    const christmas = officeHours([{ date: '2026-12-25', name: 'Christmas Day', repeatsYearly: true }]);
    expect(due(christmas, '2029-12-24T16:00', 120)).toBe('2029-12-26T10:00');
    expect(isOpenAt(christmas, at(NEW_YORK, '2025-12-25T12:00'))).toBe(false);
    expect(isOpenAt(christmas, at(NEW_YORK, '2025-12-24T12:00'))).toBe(true);
  });

  it('repeats a yearly range across new year', () => {
    const newYear = officeHours([{ from: '2024-12-31', to: '2025-01-01', name: 'New Year', repeatsYearly: true }]);
    expect(due(newYear, '2026-12-30T16:00', 120)).toBe('2027-01-04T10:00');
  });

  it('cancels the overnight shift starting on a holiday but not the one running into it', () => {
    const nightShift = calendar(BERLIN, weeklyOn(WEEKDAYS, ['22:00-06:00']), [
      { date: '2026-12-25', name: 'Christmas' },
    ]);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-25T03:00'))).toBe(true);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-25T23:00'))).toBe(false);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-26T03:00'))).toBe(false);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-26T23:00'))).toBe(true);
    expect(localTimeOf(BERLIN, addBusinessMinutes(nightShift, at(BERLIN, '2026-12-25T05:00'), 120))).toBe(
      '2026-12-26T23:00',
    );
  });
});

describe('special days', () => {
  const office = (specialDays: SpecialDay[], holidays: Holiday[] = []) =>
    calendar(NEW_YORK, weeklyOn(MONDAY_TO_FRIDAY, ['09:00-17:00']), holidays, specialDays);
  const due = (cal: CompiledCalendar, localStart: string, minutes: number) =>
    localTimeOf(NEW_YORK, addBusinessMinutes(cal, at(NEW_YORK, localStart), minutes));

  it('closes Christmas Eve at noon: an SLA due time crosses the half day', () => {
    const halfDay = office([{ date: '2026-12-24', hours: ['09:00-13:00'], name: 'Christmas Eve' }], [{ date: '2026-12-25', name: 'Christmas Day' }]);
    expect(due(halfDay, '2026-12-24T11:00', 240)).toBe('2026-12-28T11:00');
    expect(isOpenAt(halfDay, at(NEW_YORK, '2026-12-24T12:59'))).toBe(true);
    expect(isOpenAt(halfDay, at(NEW_YORK, '2026-12-24T13:00'))).toBe(false);
    expect(businessMinutesBetween(halfDay, at(NEW_YORK, '2026-12-21T00:00'), at(NEW_YORK, '2026-12-28T00:00'))).toBe((3 * 8 + 4) * 60);
  });

  it('opens a Saturday for a launch and closes a weekday with an empty list', () => {
    const launch = office([
      { date: '2026-12-05', hours: ['10:00-14:00'], name: 'Launch Saturday' },
      { date: '2026-12-07', hours: [], name: 'Inventory Monday' },
    ]);
    expect(localTimeOf(NEW_YORK, nextOpening(launch, at(NEW_YORK, '2026-12-04T18:00')))).toBe('2026-12-05T10:00');
    expect(due(launch, '2026-12-04T16:00', 120)).toBe('2026-12-05T11:00');
    expect(due(launch, '2026-12-05T13:00', 120)).toBe('2026-12-08T10:00');
    expect(isOpenAt(launch, at(NEW_YORK, '2026-12-07T12:00'))).toBe(false);
  });

  it('wins over a holiday on the same date, and keeps the night shift running into it', () => {
    const nightShift = calendar(BERLIN, weeklyOn(WEEKDAYS, ['22:00-06:00']), [{ date: '2026-12-24', name: 'Christmas Eve' }], [
      { date: '2026-12-24', hours: ['08:00-12:00', '23:00-02:00'], name: 'Christmas Eve (short)' },
    ]);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-24T05:00'))).toBe(true);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-24T10:00'))).toBe(true);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-24T22:30'))).toBe(false);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-25T01:30'))).toBe(true);
    expect(isOpenAt(nightShift, at(BERLIN, '2026-12-25T03:00'))).toBe(false);
  });

  it('lets a calendar with no weekly hours open only on its special days', () => {
    const eventsOnly = calendar('UTC', {}, [], [{ date: '2027-03-01', hours: ['09:00-10:00'], name: 'Open day' }]);
    expect(addBusinessMinutes(eventsOnly, Date.UTC(2027, 0, 1), 30).toISOString()).toBe('2027-03-01T09:30:00.000Z');
    expect(() => addBusinessMinutes(eventsOnly, Date.UTC(2027, 0, 1), 90)).toThrow(CalendarNeverOpensError);
    expect(nextOpening(calendar('UTC', {}, [], [{ date: '2027-03-01', hours: [], name: 'Closed' }]), Date.UTC(2027, 0, 1))).toBeNull();
  });

  it('refuses malformed, duplicate and overlapping special days, naming each field', () => {
    const errorsOf = (specialDays: unknown, weekly: BusinessCalendar['weekly'] = weeklyOn(WEEKDAYS, ['09:00-17:00'])) =>
      validateBusinessCalendar({ timezone: 'UTC', weekly, holidays: [], specialDays });
    expect(errorsOf('soon')).toEqual([{ field: 'specialDays', message: expect.stringContaining('array') }]);
    expect(errorsOf([{ date: '2026-02-30', hours: ['09:00-12:00'], name: 'x' }]).map((error) => error.field)).toEqual(['specialDays[0].date']);
    expect(errorsOf([{ date: '2026-03-02', hours: ['09:00-12:00', '11:00-13:00', 'noon'], name: '', extra: 1 }]).map((error) => error.field).sort()).toEqual(
      ['specialDays[0].extra', 'specialDays[0].hours[1]', 'specialDays[0].hours[2]', 'specialDays[0].name'].sort(),
    );
    expect(errorsOf([{ date: '2026-03-02', hours: [], name: 'a' }, { date: '2026-03-02', hours: [], name: 'b' }]).map((error) => error.field)).toEqual(['specialDays[1].date']);
    // 22:00-10:00 on the special day runs into the next morning's 09:00; the Sunday night shift runs into Monday 05:00.
    expect(errorsOf([{ date: '2026-03-03', hours: ['22:00-10:00'], name: 'Late' }]).map((error) => error.field)).toEqual(['specialDays[0].hours']);
    expect(errorsOf([{ date: '2026-03-02', hours: ['05:00-07:00'], name: 'Early' }], { sunday: ['22:00-06:00'], monday: ['09:00-17:00'] }).map((error) => error.field)).toEqual(['specialDays[0].hours']);
    expect(errorsOf([{ date: '2026-03-02', hours: ['06:00-07:00'], name: 'Early' }], { sunday: ['22:00-06:00'], monday: ['09:00-17:00'] })).toEqual([]);
  });
});

describe('overnight shifts 22:00-06:00', () => {
  const nightShift = calendar(BERLIN, weeklyOn(MONDAY_TO_FRIDAY, ['22:00-06:00']));
  const local = (time: string) => at(BERLIN, time);

  it('is open from 22:00 until just before 06:00 the next morning', () => {
    expect(isOpenAt(nightShift, local('2026-06-01T21:59'))).toBe(false);
    expect(isOpenAt(nightShift, local('2026-06-01T22:00'))).toBe(true);
    expect(isOpenAt(nightShift, local('2026-06-02T05:59'))).toBe(true);
    expect(isOpenAt(nightShift, local('2026-06-02T06:00'))).toBe(false);
    // Friday's shift runs into Saturday; Saturday's does not exist.
    expect(isOpenAt(nightShift, local('2026-06-06T05:00'))).toBe(true);
    expect(isOpenAt(nightShift, local('2026-06-06T23:00'))).toBe(false);
  });

  it('adds across midnight and between shifts', () => {
    const due = (start: string, minutes: number) =>
      localTimeOf(BERLIN, addBusinessMinutes(nightShift, local(start), minutes));
    expect(due('2026-06-01T21:00', 60)).toBe('2026-06-01T23:00');
    expect(due('2026-06-01T22:00', 8 * 60)).toBe('2026-06-02T06:00');
    expect(due('2026-06-02T05:00', 120)).toBe('2026-06-02T23:00');
    expect(due('2026-06-06T05:00', 120)).toBe('2026-06-08T23:00');
  });

  it('measures between shifts', () => {
    expect(businessMinutesBetween(nightShift, local('2026-06-01T20:00'), local('2026-06-02T08:00'))).toBe(480);
    expect(businessMinutesBetween(nightShift, local('2026-06-02T05:00'), local('2026-06-02T23:30'))).toBe(150);
  });
});

describe('zero minutes and bad input', () => {
  const officeHours = calendar(NEW_YORK, weeklyOn(MONDAY_TO_FRIDAY, ['09:00-17:00']));

  it('returns the start when open, otherwise the next opening', () => {
    const open = at(NEW_YORK, '2026-06-02T10:00');
    expect(addBusinessMinutes(officeHours, open, 0)).toEqual(open);
    expect(addBusinessMinutes(officeHours, at(NEW_YORK, '2026-06-02T17:00'), 0)).toEqual(
      at(NEW_YORK, '2026-06-03T09:00'),
    );
  });

  it('accepts epoch milliseconds as well as dates', () => {
    const start = at(NEW_YORK, '2026-06-02T10:00').getTime();
    expect(addBusinessMillis(officeHours, start, 30 * MINUTE)).toEqual(new Date(start + 30 * MINUTE));
    expect(businessMillisBetween(officeHours, start, start + HOUR)).toBe(HOUR);
  });

  it('returns zero when the end is not after the start', () => {
    const start = at(NEW_YORK, '2026-06-02T10:00');
    expect(businessMinutesBetween(officeHours, start, start)).toBe(0);
    expect(businessMinutesBetween(officeHours, start, at(NEW_YORK, '2026-06-01T10:00'))).toBe(0);
  });

  it('rejects negative or non-finite durations and invalid dates', () => {
    const start = at(NEW_YORK, '2026-06-02T10:00');
    expect(() => addBusinessMinutes(officeHours, start, -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(officeHours, start, Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessMinutes(officeHours, new Date('not a date'), 5)).toThrow(RangeError);
    expect(() => isOpenAt(officeHours, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('calendars without open time', () => {
  const start = at(NEW_YORK, '2026-06-02T10:00');

  it('reports a calendar without intervals', () => {
    const closed = calendar(NEW_YORK, {});
    expect(() => addBusinessMinutes(closed, start, 0)).toThrow(CalendarNeverOpensError);
    expect(nextOpening(closed, start)).toBeNull();
    expect(isOpenAt(closed, start)).toBe(false);
    expect(businessMinutesBetween(closed, start, new Date(start.getTime() + 30 * DAY))).toBe(0);
  });

  it('gives up after ten years of holidays', () => {
    const alwaysOnHoliday = calendar(NEW_YORK, weeklyOn(WEEKDAYS, ['09:00-17:00']), [
      { from: '2026-01-01', to: '2026-12-31', name: 'Every day', repeatsYearly: true },
    ]);
    expect(() => addBusinessMinutes(alwaysOnHoliday, start, 60)).toThrow(CalendarNeverOpensError);
    expect(nextOpening(alwaysOnHoliday, start)).toBeNull();
  });

  it('still finds time after a long closure shorter than the horizon', () => {
    const longClosure = calendar(NEW_YORK, weeklyOn(MONDAY_TO_FRIDAY, ['09:00-17:00']), [
      { from: '2026-01-01', to: '2031-12-31', name: 'Renovation' },
    ]);
    expect(localTimeOf(NEW_YORK, addBusinessMinutes(longClosure, start, 60))).toBe('2032-01-01T10:00');
  });
});

describe('large additions', () => {
  const workday = ['09:00-12:30', '13:30-18:00'];
  const office = calendar(NEW_YORK, weeklyOn(MONDAY_TO_FRIDAY, workday), [
    { date: '2026-01-01', name: "New Year's Day", repeatsYearly: true },
    { date: '2026-07-04', name: 'Independence Day', repeatsYearly: true },
    { from: '2026-12-24', to: '2026-12-26', name: 'Christmas', repeatsYearly: true },
    { from: '2028-08-01', to: '2028-08-20', name: 'Summer closure 2028' },
  ]);
  const start = at(NEW_YORK, '2026-11-27T17:30');

  it('adds 10,000 business hours exactly, as a hundred additions of 100 hours would', () => {
    const due = addBusinessMinutes(office, start, 10_000 * 60);
    let stepwise = start;
    for (let step = 0; step < 100; step++) stepwise = addBusinessMinutes(office, stepwise, 100 * 60);
    expect(due).toEqual(stepwise);
    expect(businessMinutesBetween(office, start, due)).toBe(10_000 * 60);
  });

  it('measures a long span as the sum of its days', () => {
    const end = at(NEW_YORK, '2031-03-14T11:15');
    let total = 0;
    for (let dayStart = start.getTime(); dayStart < end.getTime(); dayStart += DAY) {
      total += businessMillisBetween(office, dayStart, Math.min(dayStart + DAY, end.getTime()));
    }
    expect(businessMillisBetween(office, start, end)).toBe(total);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const ZONES = [NEW_YORK, BERLIN, 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'UTC'];
const FIXED_OFFSET_MINUTES: Record<string, number> = { UTC: 0, 'Asia/Kolkata': 330, 'Asia/Tokyo': 540 };

const namedCalendars: Array<BusinessCalendar | null> = [
  null,
  {
    timezone: NEW_YORK,
    weekly: weeklyOn(MONDAY_TO_FRIDAY, ['09:00-12:30', '13:30-17:00']),
    holidays: [
      { date: '2026-11-26', name: 'Thanksgiving 2026' },
      { from: '2026-12-24', to: '2026-12-26', name: 'Christmas', repeatsYearly: true },
      { date: '2026-07-04', name: 'Independence Day', repeatsYearly: true },
    ],
  },
  {
    timezone: BERLIN,
    weekly: weeklyOn(WEEKDAYS, ['22:00-06:00']),
    holidays: [{ date: '2026-12-25', name: 'Christmas' }],
  },
  {
    timezone: 'Europe/London',
    weekly: {
      monday: ['00:00-24:00'],
      tuesday: ['08:00-20:00'],
      wednesday: ['22:00-02:00'],
      thursday: ['02:00-10:00', '23:30-00:00'],
      saturday: ['10:00-14:00'],
    },
    holidays: [{ from: '2026-04-01', to: '2026-04-15', name: 'Spring closure' }],
  },
  // Lord Howe Island moves its clocks by 30 minutes, at 02:00.
  {
    timezone: 'Australia/Lord_Howe',
    weekly: weeklyOn(WEEKDAYS, ['01:00-01:45', '03:00-05:00', '20:00-00:30']),
    holidays: [],
  },
  // Santiago changes its offset at midnight, so whole days start in skipped or repeated hours.
  { timezone: 'America/Santiago', weekly: weeklyOn(WEEKDAYS, ['00:00-24:00']), holidays: [] },
];

const clockTime = (quarterHours: number) =>
  `${String(Math.floor(quarterHours / 4)).padStart(2, '0')}:${String((quarterHours % 4) * 15).padStart(2, '0')}`;

const dayIntervals = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }),
    fc.option(fc.tuple(fc.integer({ min: 72, max: 95 }), fc.integer({ min: 0, max: 28 }))),
  )
  .map(([points, overnight]) => {
    const sorted = [...points].sort((a, b) => a - b);
    const intervals: string[] = [];
    for (let index = 0; index + 1 < sorted.length; index += 2) {
      intervals.push(`${clockTime(sorted[index])}-${clockTime(sorted[index + 1])}`);
    }
    if (overnight) intervals.push(`${clockTime(overnight[0])}-${clockTime(overnight[1])}`);
    return intervals;
  });

const isoDateIn2025To2028 = fc
  .integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2028, 11, 31) / DAY })
  .map((day) => new Date(day * DAY).toISOString().slice(0, 10));

const holiday: fc.Arbitrary<Holiday> = fc.oneof(
  fc.record({ date: isoDateIn2025To2028, name: fc.constant('Holiday'), repeatsYearly: fc.boolean() }),
  fc
    .tuple(isoDateIn2025To2028, fc.integer({ min: 0, max: 20 }), fc.boolean())
    .map(([from, length, repeatsYearly]) => ({
      from,
      to: new Date(Date.parse(from) + length * DAY).toISOString().slice(0, 10),
      name: 'Closure',
      repeatsYearly,
    })),
);

const specialDay: fc.Arbitrary<SpecialDay> = fc.record({ date: isoDateIn2025To2028, hours: dayIntervals, name: fc.constant('Special') });

function randomCalendar(zones: string[]): fc.Arbitrary<BusinessCalendar> {
  return fc
    .record({
      timezone: fc.constantFrom(...zones),
      weekly: fc.record(
        Object.fromEntries(WEEKDAYS.map((day) => [day, dayIntervals])) as Record<Weekday, fc.Arbitrary<string[]>>,
        { requiredKeys: [] },
      ),
      holidays: fc.array(holiday, { maxLength: 3 }),
      specialDays: fc.uniqueArray(specialDay, { maxLength: 4, selector: (special) => special.date }),
    })
    .filter((candidate) => validateBusinessCalendar(candidate).length === 0 && openMinutesPerWeek(candidate) >= 60);
}

function openMinutesPerWeek(source: BusinessCalendar): number {
  return Object.values(source.weekly)
    .flat()
    .reduce((total, interval) => {
      const [start, end] = interval.split('-').map((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
      return total + (end > start ? end - start : end + 1440 - start);
    }, 0);
}

const compiledCache = new Map<BusinessCalendar, CompiledCalendar>();
function compiled(source: BusinessCalendar | null): CompiledCalendar | null {
  if (source === null) return null;
  let result = compiledCache.get(source);
  if (!result) {
    result = compileCalendar(source);
    compiledCache.set(source, result);
  }
  return result;
}

const anyCalendar = fc.oneof(fc.constantFrom(...namedCalendars), randomCalendar(ZONES));
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2029, 0, 1) }),
  fc
    .integer({ min: Date.UTC(2025, 0, 1) / (15 * MINUTE), max: Date.UTC(2029, 0, 1) / (15 * MINUTE) })
    .map((quarterHour) => quarterHour * 15 * MINUTE),
);
const minutes = fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 40_000 }));

describe('properties', () => {
  const runs = { numRuns: 300 };
  const delay = fc.integer({ min: 0, max: 10 * DAY });
  const span = fc.integer({ min: 0, max: 400 * DAY });
  const fraction = fc.double({ min: 0, max: 1, noNaN: true });

  it('round-trips: the business time between a start and start + m is m', () => {
    fc.assert(
      fc.property(anyCalendar, instant, minutes, (source, rawStart, amount) => {
        const cal = compiled(source);
        const start = nextOpening(cal, rawStart) as Date;
        const due = addBusinessMinutes(cal, start, amount);
        expect(businessMillisBetween(cal, start, due)).toBe(amount * MINUTE);
        expect(businessMillisBetween(cal, rawStart, due)).toBe(amount * MINUTE);
      }),
      runs,
    );
  });

  it('never lands in closed time: the result is open or ends an open stretch', () => {
    fc.assert(
      fc.property(anyCalendar, instant, minutes, (source, start, amount) => {
        const cal = compiled(source);
        const due = addBusinessMinutes(cal, start, amount).getTime();
        if (amount === 0) expect(isOpenAt(cal, due)).toBe(true);
        else expect(isOpenAt(cal, due - 1)).toBe(true);
      }),
      runs,
    );
  });

  it('is monotonic in the amount and in the start', () => {
    fc.assert(
      fc.property(anyCalendar, instant, minutes, minutes, delay, (source, start, a, b, later) => {
        const cal = compiled(source);
        const due = (from: number, amount: number) => addBusinessMinutes(cal, from, amount).getTime();
        expect(due(start, Math.min(a, b))).toBeLessThanOrEqual(due(start, Math.max(a, b)));
        expect(due(start, a)).toBeLessThanOrEqual(due(start + later, a));
      }),
      runs,
    );
  });

  it('is additive over a split point', () => {
    fc.assert(
      fc.property(anyCalendar, instant, span, fraction, (source, from, length, splitAt) => {
        const cal = compiled(source);
        const to = from + length;
        const split = from + Math.floor(length * splitAt);
        expect(businessMillisBetween(cal, from, split) + businessMillisBetween(cal, split, to)).toBe(
          businessMillisBetween(cal, from, to),
        );
      }),
      runs,
    );
  });

  it('adds in steps exactly as in one go', () => {
    fc.assert(
      fc.property(anyCalendar, instant, minutes, fc.integer({ min: 1, max: 3_000 }), (source, start, first, second) => {
        const cal = compiled(source);
        const inOneGo = addBusinessMinutes(cal, start, first + second);
        expect(addBusinessMinutes(cal, addBusinessMinutes(cal, start, first), second)).toEqual(inOneGo);
      }),
      runs,
    );
  });

  it('agrees between isOpenAt and nextOpening', () => {
    fc.assert(
      fc.property(anyCalendar, instant, (source, moment) => {
        const cal = compiled(source);
        const opening = nextOpening(cal, moment) as Date;
        expect(opening.getTime() === moment).toBe(isOpenAt(cal, moment));
        expect(isOpenAt(cal, opening)).toBe(true);
        expect(businessMillisBetween(cal, moment, opening)).toBe(0);
      }),
      runs,
    );
  });

  describe('against a minute-by-minute reference in zones without DST', () => {
    const fixedZoneCalendar = randomCalendar(Object.keys(FIXED_OFFSET_MINUTES));
    const minuteInstant = fc
      .integer({ min: Date.UTC(2025, 0, 1) / MINUTE, max: Date.UTC(2029, 0, 1) / MINUTE })
      .map((minute) => minute * MINUTE);
    const upToThreeDaysOfMinutes = fc.integer({ min: 0, max: 3 * 24 * 60 });

    it('measures the same business time', () => {
      fc.assert(
        fc.property(fixedZoneCalendar, minuteInstant, upToThreeDaysOfMinutes, (source, from, lengthInMinutes) => {
          let openMinutes = 0;
          for (let minute = 0; minute < lengthInMinutes; minute++) {
            if (referenceIsOpen(source, from + minute * MINUTE)) openMinutes++;
          }
          const to = from + lengthInMinutes * MINUTE;
          expect(businessMinutesBetween(compiled(source), from, to)).toBe(openMinutes);
        }),
        { numRuns: 150 },
      );
    });

    it('agrees on whether it is open', () => {
      const twentyInstants = fc.array(minuteInstant, { minLength: 20, maxLength: 20 });
      fc.assert(
        fc.property(fixedZoneCalendar, twentyInstants, (source, instants) => {
          const cal = compiled(source);
          for (const moment of instants) expect(isOpenAt(cal, moment)).toBe(referenceIsOpen(source, moment));
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('against a minute-by-minute reference across UTC-offset changes, with special days', () => {
    // Every offset change of the four zones in 2025-2028, found with luxon (not with the code under test).
    const offsetChanges = [NEW_YORK, BERLIN, 'Australia/Lord_Howe', 'America/Santiago'].flatMap((zone) => {
      const changes: Array<{ zone: string; at: number }> = [];
      const offsetAt = (t: number) => DateTime.fromMillis(t, { zone }).offset;
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2029, 0, 1); t += DAY) {
        if (offsetAt(t) === offsetAt(t + DAY)) continue;
        let [low, high] = [t, t + DAY];
        while (high - low > MINUTE) {
          const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
          if (offsetAt(middle) === offsetAt(t)) low = middle;
          else high = middle;
        }
        changes.push({ zone, at: high });
      }
      return changes;
    });
    const dateNear = (at: number, zone: string) =>
      fc.integer({ min: -2, max: 2 }).map((days) => DateTime.fromMillis(at, { zone }).plus({ days }).toISODate() as string);
    const scenario = fc.constantFrom(...offsetChanges).chain(({ zone, at }) =>
      fc.record({
        source: randomCalendar([zone]).chain((base) =>
          fc
            .uniqueArray(fc.record({ date: dateNear(at, zone), hours: dayIntervals, name: fc.constant('Special') }), { maxLength: 3, selector: (special) => special.date })
            .map((specialDays) => ({ ...base, specialDays }))
            .filter((candidate) => validateBusinessCalendar(candidate).length === 0),
        ),
        from: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }).map((minutes) => at + minutes * MINUTE),
        lengthInMinutes: fc.integer({ min: 0, max: 4 * 24 * 60 }),
      }),
    );

    it('measures the same business time and agrees on whether it is open', () => {
      fc.assert(
        fc.property(scenario, ({ source, from, lengthInMinutes }) => {
          const to = from + lengthInMinutes * MINUTE;
          const spans = referenceOpenSpans(source, from - 2 * DAY, to + 2 * DAY);
          const isOpen = (moment: number) => spans.some((span) => span.start <= moment && moment < span.end);
          let openMinutes = 0;
          for (let minute = 0; minute < lengthInMinutes; minute++) if (isOpen(from + minute * MINUTE)) openMinutes++;
          const cal = compiled(source);
          expect(businessMinutesBetween(cal, from, to)).toBe(openMinutes);
          for (const moment of [from, to, from + Math.floor(lengthInMinutes / 2) * MINUTE]) expect(isOpenAt(cal, moment)).toBe(isOpen(moment));
        }),
        { numRuns: 200 },
      );
    });
  });
});

/**
 * The open spans of the dates around [from, to], each interval placed with luxon: a wall time the clock skips opens
 * when the clock jumps past it, and a repeated wall time means its first occurrence.
 */
function referenceOpenSpans(source: BusinessCalendar, from: number, to: number): Array<{ start: number; end: number }> {
  const zone = source.timezone;
  const offsetAt = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  const instantOfWall = (isoDate: string, minuteOfDay: number) => {
    const wallAsUtc = Date.parse(`${isoDate}T00:00:00Z`) + minuteOfDay * MINUTE;
    const offsets = [...new Set([offsetAt(wallAsUtc - DAY), offsetAt(wallAsUtc + DAY)])].sort((a, b) => b - a);
    const exact = offsets.map((offset) => wallAsUtc - offset * MINUTE).filter((t) => offsetAt(t) * MINUTE === wallAsUtc - t);
    if (exact.length > 0) return Math.min(...exact);
    // In a skipped stretch: the instant the offset changes, between the two readings.
    let [low, high] = [wallAsUtc - offsets[0] * MINUTE, wallAsUtc - offsets[offsets.length - 1] * MINUTE];
    const before = offsetAt(low - DAY);
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offsetAt(middle) === before) low = middle;
      else high = middle;
    }
    return offsetAt(low) === before ? high : low;
  };
  const isHoliday = (isoDate: string) => referenceIsHoliday(source, isoDate);
  const spans: Array<{ start: number; end: number }> = [];
  const lastDate = DateTime.fromMillis(to, { zone }).toISODate() as string;
  for (let date = DateTime.fromMillis(from, { zone }).minus({ days: 1 }); (date.toISODate() as string) <= lastDate; date = date.plus({ days: 1 })) {
    const isoDate = date.toISODate() as string;
    for (const range of referenceRangesOn(source, isoDate, date.weekday - 1, isHoliday)) {
      const start = instantOfWall(isoDate, range.start);
      const end = instantOfWall(isoDate, range.end);
      if (end > start) spans.push({ start, end });
    }
  }
  return spans;
}

function referenceIsHoliday(source: BusinessCalendar, isoDate: string): boolean {
  return source.holidays.some((entry) => {
    const [from, to] = 'date' in entry ? [entry.date, entry.date] : [entry.from, entry.to];
    if (!entry.repeatsYearly) return isoDate >= from && isoDate <= to;
    const [monthDay, fromMonthDay, toMonthDay] = [isoDate, from, to].map((date) => date.slice(5));
    return fromMonthDay <= toMonthDay
      ? monthDay >= fromMonthDay && monthDay <= toMonthDay
      : monthDay >= fromMonthDay || monthDay <= toMonthDay;
  });
}

/** Straight from the calendar's definition, for zones whose offset never changes. */
function referenceIsOpen(source: BusinessCalendar, instant: number): boolean {
  const wall = new Date(instant + FIXED_OFFSET_MINUTES[source.timezone] * MINUTE);
  const minuteOfDay = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const today = wall.toISOString().slice(0, 10);
  const yesterday = new Date(wall.getTime() - DAY).toISOString().slice(0, 10);
  const weekdayIndex = (wall.getUTCDay() + 6) % 7;
  const isHoliday = (isoDate: string) => referenceIsHoliday(source, isoDate);
  const startedToday = referenceRangesOn(source, today, weekdayIndex, isHoliday).some(({ start, end }) => minuteOfDay >= start && minuteOfDay < end);
  const startedYesterday = referenceRangesOn(source, yesterday, weekdayIndex - 1, isHoliday).some(
    ({ start, end }) => minuteOfDay + 1440 >= start && minuteOfDay + 1440 < end,
  );
  return startedToday || startedYesterday;
}

/** The intervals starting on a date, in minutes of that date: its special hours, none on a holiday, else its weekday's. */
function referenceRangesOn(source: BusinessCalendar, isoDate: string, weekdayIndex: number, isHoliday: (isoDate: string) => boolean) {
  const special = source.specialDays?.find((entry) => entry.date === isoDate);
  const texts = special ? special.hours : isHoliday(isoDate) ? [] : (source.weekly[WEEKDAYS[(weekdayIndex + 7) % 7]] ?? []);
  return texts.map((text) => {
    const [start, end] = text.split('-').map((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
    return { start, end: end > start ? end : end + 1440 };
  });
}
