import {
  BusinessCalendar,
  InvalidBusinessCalendarError,
  compileCalendar,
  validateBusinessCalendar,
} from './business-calendar';

function calendarWith(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    timezone: 'Europe/Berlin',
    weekly: { monday: ['09:00-12:30', '13:30-18:00'] },
    holidays: [],
    ...overrides,
  };
}

function fieldsOf(input: unknown): string[] {
  return validateBusinessCalendar(input).map((error) => error.field);
}

describe('validateBusinessCalendar', () => {
  it('accepts a complete calendar', () => {
    const calendar: BusinessCalendar = {
      timezone: 'America/New_York',
      weekly: {
        monday: ['09:00-12:30', '13:30-18:00'],
        tuesday: ['00:00-24:00'],
        wednesday: ['22:00-06:00'],
        thursday: ['06:00-10:00', '22:00-24:00'],
        friday: [],
        saturday: ['12:00-00:00'],
        sunday: ['23:00-09:00'],
      },
      holidays: [
        { date: '2026-12-25', name: 'Christmas Day', repeatsYearly: true },
        { from: '2026-12-24', to: '2027-01-02', name: 'Winter break' },
        { from: '2026-12-31', to: '2027-01-01', name: 'New Year', repeatsYearly: true },
      ],
    };
    expect(validateBusinessCalendar(calendar)).toEqual([]);
  });

  it('treats missing days as closed rather than as errors', () => {
    expect(validateBusinessCalendar(calendarWith({ weekly: {} }))).toEqual([]);
  });

  it('accepts intervals that touch, within a day and across midnight', () => {
    const weekly = { monday: ['09:00-12:00', '12:00-13:00', '22:00-06:00'], tuesday: ['06:00-07:00'] };
    expect(validateBusinessCalendar(calendarWith({ weekly }))).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['a non-object calendar', 'nope', '', /must be an object/],
    ['a missing timezone', calendarWith({ timezone: undefined }), 'timezone', /IANA time zone/],
    ['an unknown timezone', calendarWith({ timezone: 'Mars/Olympus_Mons' }), 'timezone', /not a known IANA/],
    ['a missing weekly', calendarWith({ weekly: undefined }), 'weekly', /keyed by day name/],
    ['an unknown day key', calendarWith({ weekly: { funday: ['09:00-17:00'] } }), 'weekly.funday', /unknown day/],
    ['a day that is not an array', calendarWith({ weekly: { monday: '09:00-17:00' } }), 'weekly.monday', /array/],
    [
      'a malformed interval',
      calendarWith({ weekly: { monday: ['09:00-12:30', '9-17'] } }),
      'weekly.monday[1]',
      /like "09:00-17:00"/,
    ],
    ['a non-string interval', calendarWith({ weekly: { monday: [900] } }), 'weekly.monday[0]', /like "09:00-17:00"/],
    ['an hour out of range', calendarWith({ weekly: { friday: ['09:00-25:00'] } }), 'weekly.friday[0]', /valid time/],
    ['24:00 as a start', calendarWith({ weekly: { friday: ['24:00-06:00'] } }), 'weekly.friday[0]', /24:00 only/],
    ['minutes past 24:00', calendarWith({ weekly: { friday: ['20:00-24:30'] } }), 'weekly.friday[0]', /valid time/],
    ['start equal to end', calendarWith({ weekly: { sunday: ['10:00-10:00'] } }), 'weekly.sunday[0]', /must differ/],
    [
      'overlapping intervals within a day',
      calendarWith({ weekly: { monday: ['09:00-12:30', '12:00-18:00'] } }),
      'weekly.monday[1]',
      /overlaps "09:00-12:30"/,
    ],
    [
      'an overnight spill overlapping the next day',
      calendarWith({ weekly: { tuesday: ['22:00-06:00'], wednesday: ['05:00-12:00'] } }),
      'weekly.tuesday[0]',
      /past midnight into wednesday and overlaps "05:00-12:00"/,
    ],
    [
      'a sunday spill overlapping monday',
      calendarWith({ weekly: { monday: ['00:00-08:00'], sunday: ['20:00-02:00'] } }),
      'weekly.sunday[0]',
      /into monday/,
    ],
    ['holidays that are not an array', calendarWith({ holidays: undefined }), 'holidays', /must be an array/],
    ['a holiday that is not an object', calendarWith({ holidays: ['2026-12-25'] }), 'holidays[0]', /object/],
    [
      'an impossible holiday date',
      calendarWith({ holidays: [{ date: '2026-02-30', name: 'Nope' }] }),
      'holidays[0].date',
      /yyyy-mm-dd/,
    ],
    [
      'a holiday date in another format',
      calendarWith({ holidays: [{ date: '25.12.2026', name: 'Christmas' }] }),
      'holidays[0].date',
      /yyyy-mm-dd/,
    ],
    ['a holiday without a name', calendarWith({ holidays: [{ date: '2026-12-25' }] }), 'holidays[0].name', /string/],
    [
      'a range with from after to',
      calendarWith({ holidays: [{ from: '2026-12-31', to: '2026-12-24', name: 'Backwards' }] }),
      'holidays[0].to',
      /not be before from/,
    ],
    [
      'a range missing its end',
      calendarWith({ holidays: [{ from: '2026-12-24', name: 'Open ended' }] }),
      'holidays[0].to',
      /yyyy-mm-dd/,
    ],
    [
      'both a date and a range',
      calendarWith({ holidays: [{ date: '2026-12-25', from: '2026-12-24', to: '2026-12-26', name: 'Both' }] }),
      'holidays[0]',
      /either date or from\/to/,
    ],
    ['neither a date nor a range', calendarWith({ holidays: [{ name: 'Someday' }] }), 'holidays[0]', /either date/],
    [
      'a non-boolean repeatsYearly',
      calendarWith({ holidays: [{ date: '2026-12-25', name: 'Christmas', repeatsYearly: 'yes' }] }),
      'holidays[0].repeatsYearly',
      /boolean/,
    ],
    [
      'a yearly range spanning a whole year',
      calendarWith({ holidays: [{ from: '2026-01-01', to: '2027-01-01', name: 'Forever', repeatsYearly: true }] }),
      'holidays[0].to',
      /less than a year/,
    ],
  ])('reports %s', (_case, input, field, message) => {
    const errors = validateBusinessCalendar(input);
    expect(errors).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('reports every problem at once, each under its own field', () => {
    const input = {
      timezone: 'Not/AZone',
      weekly: { monday: ['09:00-12:00', 'lunch'], someday: [] },
      holidays: [{ date: '2026-12-25', name: 'Christmas' }, { from: '2026-05-02', to: '2026-05-01', name: 'Oops' }],
    };
    expect(fieldsOf(input)).toEqual(['timezone', 'weekly.monday[1]', 'weekly.someday', 'holidays[1].to']);
  });
});

describe('compileCalendar', () => {
  it('returns null for an around-the-clock calendar', () => {
    expect(compileCalendar(null)).toBeNull();
  });

  it('refuses an invalid calendar, listing the errors', () => {
    const invalid = calendarWith({ timezone: 'Nowhere/Special' }) as unknown as BusinessCalendar;
    expect(() => compileCalendar(invalid)).toThrow(InvalidBusinessCalendarError);
    expect(() => compileCalendar(invalid)).toThrow(/timezone: "Nowhere\/Special" is not a known IANA time zone/);
  });

  it('parses intervals into minutes of the day they start on', () => {
    const compiled = compileCalendar({
      timezone: 'UTC',
      weekly: { monday: ['13:30-18:00', '09:00-12:30'], wednesday: ['22:00-06:00'], friday: ['00:00-24:00'] },
      holidays: [],
    });
    const monday = Date.parse('2026-01-05T00:00:00Z') / 86_400_000;
    expect(compiled.openRangesStartingOn(monday)).toEqual([
      { start: 540, end: 750 },
      { start: 810, end: 1080 },
    ]);
    expect(compiled.openRangesStartingOn(monday + 2)).toEqual([{ start: 1320, end: 1800 }]);
    expect(compiled.openRangesStartingOn(monday + 4)).toEqual([{ start: 0, end: 1440 }]);
    expect(compiled.openRangesStartingOn(monday + 1)).toEqual([]);
    expect(compiled.weeklyOpenMillis).toBe((210 + 270 + 480 + 1440) * 60_000);
  });

  it('marks single, ranged and yearly holidays, including yearly ranges across new year', () => {
    const compiled = compileCalendar({
      timezone: 'UTC',
      weekly: { monday: ['09:00-17:00'] },
      holidays: [
        { date: '2026-05-01', name: 'Labour Day 2026' },
        { from: '2026-08-03', to: '2026-08-07', name: 'Summer closure 2026' },
        { date: '2020-10-03', name: 'Unity Day', repeatsYearly: true },
        { from: '2019-12-31', to: '2020-01-01', name: 'New Year', repeatsYearly: true },
      ],
    });
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    const holidays = ['2026-05-01', '2026-08-03', '2026-08-07', '2026-10-03', '2031-10-03', '2026-12-31', '2027-01-01'];
    const workdays = ['2027-05-01', '2026-08-02', '2026-08-08', '2026-10-02', '2026-12-30', '2027-01-02'];
    expect(holidays.filter((iso) => !compiled.isHoliday(day(iso)))).toEqual([]);
    expect(workdays.filter((iso) => compiled.isHoliday(day(iso)))).toEqual([]);
    expect(compiled.firstIrregularDayWithin(day('2026-05-02'), day('2026-12-31'))).toBe(day('2026-08-03'));
    expect(compiled.firstIrregularDayWithin(day('2026-05-02'), day('2026-08-02'))).toBeUndefined();
  });
});
