import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS, ZoneClock } from './zone-clock';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SingleDayHoliday {
  date: string;
  name: string;
  repeatsYearly?: boolean;
}

export interface HolidayRange {
  from: string;
  to: string;
  name: string;
  repeatsYearly?: boolean;
}

/**
 * Dates are yyyy-mm-dd and ranges include both ends. A yearly holiday recurs on the same month and
 * day in every year, before as well as after the year written.
 */
export type Holiday = SingleDayHoliday | HolidayRange;

export interface BusinessCalendar {
  timezone: string;
  /**
   * Intervals like "09:00-12:30"; "22:00-06:00" runs past midnight and belongs to the day it starts on;
   * "00:00-24:00" is the whole day. A missing day is closed.
   */
  weekly: Partial<Record<Weekday, string[]>>;
  /** A holiday cancels the intervals that start on it, including an overnight shift starting that day. */
  holidays: Holiday[];
}

export interface CalendarFieldError {
  field: string;
  message: string;
}

export class InvalidBusinessCalendarError extends Error {
  constructor(readonly errors: CalendarFieldError[]) {
    super(`Invalid business calendar: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`);
    this.name = 'InvalidBusinessCalendarError';
  }
}

/** Minutes from midnight of the day the interval starts on; `end` exceeds 1440 when it runs past midnight. */
export interface MinuteRange {
  start: number;
  end: number;
}

/**
 * A validated calendar parsed for fast arithmetic. Days are local calendar days numbered from
 * 1970-01-01 (day 0) in the calendar's zone.
 */
export interface CompiledCalendar {
  readonly timezone: string;
  /** Wall-clock open time of a week, ignoring holidays and UTC-offset changes. */
  readonly weeklyOpenMillis: number;
  /** Wall-clock open time of the intervals starting on `day`, ignoring holidays and UTC-offset changes. */
  wallClockOpenMillisOn(day: number): number;
  openRangesStartingOn(day: number): readonly MinuteRange[];
  isHoliday(day: number): boolean;
  firstHolidayWithin(fromDay: number, untilDay: number): number | undefined;
  localDayOf(instant: number): number;
  instantOf(day: number, minuteOfDay: number): number;
  firstOffsetChangeWithin(from: number, to: number): number | undefined;
}

const MINUTES_PER_DAY = 1440;
const INTERVAL_PATTERN = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function validateBusinessCalendar(input: unknown): CalendarFieldError[] {
  const errors: CalendarFieldError[] = [];
  if (!isPlainObject(input)) {
    return [{ field: '', message: 'must be an object with timezone, weekly and holidays' }];
  }
  validateTimezone(input.timezone, errors);
  validateWeekly(input.weekly, errors);
  validateHolidays(input.holidays, errors);
  return errors;
}

export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar;
export function compileCalendar(calendar: BusinessCalendar | null): CompiledCalendar | null;
export function compileCalendar(calendar: BusinessCalendar | null): CompiledCalendar | null {
  if (calendar === null) return null;
  const errors = validateBusinessCalendar(calendar);
  if (errors.length > 0) throw new InvalidBusinessCalendarError(errors);
  return new ParsedCalendar(calendar);
}

// Holiday flags are computed lazily per block of days, as the walk asks about most days at least once.
const HOLIDAY_BLOCK_DAYS = 256;

class ParsedCalendar implements CompiledCalendar {
  readonly timezone: string;
  readonly weeklyOpenMillis: number;
  private readonly clock: ZoneClock;
  private readonly rangesByWeekday: MinuteRange[][];
  private readonly openMillisByWeekday: number[];
  private readonly datedHolidays: DayRange[];
  private readonly yearlyHolidays: MonthDayRange[];
  private readonly hasHolidays: boolean;
  private readonly holidayFlagBlocks = new Map<number, Uint8Array>();

  constructor(calendar: BusinessCalendar) {
    this.timezone = calendar.timezone;
    this.clock = ZoneClock.forZone(calendar.timezone);
    this.rangesByWeekday = WEEKDAYS.map((weekday) =>
      (calendar.weekly[weekday] ?? [])
        .map((text) => parseInterval(text) as MinuteRange)
        .sort((a, b) => a.start - b.start),
    );
    this.openMillisByWeekday = this.rangesByWeekday.map(
      (ranges) => ranges.reduce((total, range) => total + range.end - range.start, 0) * MINUTE_MS,
    );
    this.weeklyOpenMillis = this.openMillisByWeekday.reduce((total, millis) => total + millis, 0);

    const dated: DayRange[] = [];
    const yearly: MonthDayRange[] = [];
    for (const holiday of calendar.holidays) {
      const [from, to] = 'date' in holiday ? [holiday.date, holiday.date] : [holiday.from, holiday.to];
      if (holiday.repeatsYearly) yearly.push({ from: monthDayOf(from), to: monthDayOf(to) });
      else dated.push({ from: dayNumberOf(from) as number, to: dayNumberOf(to) as number });
    }
    this.datedHolidays = mergeDayRanges(dated);
    this.yearlyHolidays = yearly;
    this.hasHolidays = dated.length > 0 || yearly.length > 0;
  }

  localDayOf(instant: number): number {
    return Math.floor(this.clock.wallTimeOf(instant) / DAY_MS);
  }

  wallClockOpenMillisOn(day: number): number {
    return this.openMillisByWeekday[weekdayIndexOf(day)];
  }

  openRangesStartingOn(day: number): readonly MinuteRange[] {
    return this.isHoliday(day) ? [] : this.rangesByWeekday[weekdayIndexOf(day)];
  }

  isHoliday(day: number): boolean {
    if (!this.hasHolidays) return false;
    const blockIndex = Math.floor(day / HOLIDAY_BLOCK_DAYS);
    return this.holidayFlagsOfBlock(blockIndex)[day - blockIndex * HOLIDAY_BLOCK_DAYS] === 1;
  }

  firstHolidayWithin(fromDay: number, untilDay: number): number | undefined {
    if (!this.hasHolidays) return undefined;
    for (let day = fromDay; day <= untilDay; ) {
      const blockIndex = Math.floor(day / HOLIDAY_BLOCK_DAYS);
      const firstDayOfBlock = blockIndex * HOLIDAY_BLOCK_DAYS;
      const found = this.holidayFlagsOfBlock(blockIndex).indexOf(1, day - firstDayOfBlock);
      if (found !== -1) return firstDayOfBlock + found <= untilDay ? firstDayOfBlock + found : undefined;
      day = firstDayOfBlock + HOLIDAY_BLOCK_DAYS;
    }
    return undefined;
  }

  instantOf(day: number, minuteOfDay: number): number {
    return this.clock.instantOf(day * DAY_MS + minuteOfDay * MINUTE_MS);
  }

  firstOffsetChangeWithin(from: number, to: number): number | undefined {
    return this.clock.firstChangeWithin(from, to);
  }

  private holidayFlagsOfBlock(blockIndex: number): Uint8Array {
    let flags = this.holidayFlagBlocks.get(blockIndex);
    if (!flags) {
      flags = new Uint8Array(HOLIDAY_BLOCK_DAYS);
      for (let offset = 0; offset < HOLIDAY_BLOCK_DAYS; offset++) {
        const day = blockIndex * HOLIDAY_BLOCK_DAYS + offset;
        flags[offset] = this.isDatedHoliday(day) || this.isYearlyHoliday(day) ? 1 : 0;
      }
      this.holidayFlagBlocks.set(blockIndex, flags);
    }
    return flags;
  }

  private isDatedHoliday(day: number): boolean {
    let low = 0;
    let high = this.datedHolidays.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = this.datedHolidays[middle];
      if (day < range.from) high = middle - 1;
      else if (day > range.to) low = middle + 1;
      else return true;
    }
    return false;
  }

  private isYearlyHoliday(day: number): boolean {
    const date = new Date(day * DAY_MS);
    const monthDay = (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
    for (const range of this.yearlyHolidays) {
      const isInRange =
        range.from <= range.to
          ? monthDay >= range.from && monthDay <= range.to
          : monthDay >= range.from || monthDay <= range.to;
      if (isInRange) return true;
    }
    return false;
  }
}

interface DayRange {
  from: number;
  to: number;
}

/** Month and day as month * 100 + day; `from > to` when the range wraps over new year. */
interface MonthDayRange {
  from: number;
  to: number;
}

function validateTimezone(timezone: unknown, errors: CalendarFieldError[]): void {
  if (typeof timezone !== 'string' || timezone.length === 0) {
    errors.push({ field: 'timezone', message: 'must be an IANA time zone name such as "Europe/Berlin"' });
  } else if (!IANAZone.isValidZone(timezone)) {
    errors.push({ field: 'timezone', message: `"${timezone}" is not a known IANA time zone` });
  }
}

interface PlacedInterval {
  field: string;
  text: string;
  range: MinuteRange;
}

function validateWeekly(weekly: unknown, errors: CalendarFieldError[]): void {
  if (!isPlainObject(weekly)) {
    errors.push({ field: 'weekly', message: `must be an object keyed by day name (${WEEKDAYS.join(', ')})` });
    return;
  }
  const intervalsByWeekday = new Map<Weekday, PlacedInterval[]>();
  for (const [key, value] of Object.entries(weekly)) {
    const field = `weekly.${key}`;
    if (!isWeekday(key)) {
      errors.push({ field, message: `unknown day; expected one of ${WEEKDAYS.join(', ')}` });
      continue;
    }
    if (!Array.isArray(value)) {
      errors.push({ field, message: 'must be an array of "HH:MM-HH:MM" intervals' });
      continue;
    }
    const intervals: PlacedInterval[] = [];
    value.forEach((text: unknown, index) => {
      const intervalField = `${field}[${index}]`;
      const parsed = parseInterval(text);
      if (typeof parsed === 'string') errors.push({ field: intervalField, message: parsed });
      else intervals.push({ field: intervalField, text: text as string, range: parsed });
    });
    intervalsByWeekday.set(key, intervals.sort((a, b) => a.range.start - b.range.start));
  }

  for (const [index, weekday] of WEEKDAYS.entries()) {
    const intervals = intervalsByWeekday.get(weekday) ?? [];
    reportOverlapsWithinDay(intervals, errors);
    const nextWeekday = WEEKDAYS[(index + 1) % WEEKDAYS.length];
    reportOvernightSpills(intervals, nextWeekday, intervalsByWeekday.get(nextWeekday) ?? [], errors);
  }
}

function reportOverlapsWithinDay(sortedIntervals: PlacedInterval[], errors: CalendarFieldError[]): void {
  let latestEnding: PlacedInterval | undefined;
  for (const interval of sortedIntervals) {
    if (latestEnding && interval.range.start < latestEnding.range.end) {
      errors.push({ field: interval.field, message: `overlaps "${latestEnding.text}" (${latestEnding.field})` });
    }
    if (!latestEnding || interval.range.end > latestEnding.range.end) latestEnding = interval;
  }
}

function reportOvernightSpills(
  intervals: PlacedInterval[],
  nextWeekday: Weekday,
  nextDayIntervals: PlacedInterval[],
  errors: CalendarFieldError[],
): void {
  for (const interval of intervals) {
    const spillEnd = interval.range.end - MINUTES_PER_DAY;
    if (spillEnd <= 0) continue;
    for (const next of nextDayIntervals) {
      if (next.range.start < spillEnd) {
        errors.push({
          field: interval.field,
          message: `runs past midnight into ${nextWeekday} and overlaps "${next.text}" (${next.field})`,
        });
      }
    }
  }
}

function parseInterval(text: unknown): MinuteRange | string {
  const match = typeof text === 'string' ? INTERVAL_PATTERN.exec(text) : null;
  if (!match) return 'must be an interval like "09:00-17:00"';
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number);
  const isValidStart = startHour <= 23 && startMinute <= 59;
  const isValidEnd = (endHour <= 23 && endMinute <= 59) || (endHour === 24 && endMinute === 0);
  if (!isValidStart || !isValidEnd) {
    return `"${String(text)}" is not a valid time range (hours 00-23, minutes 00-59, 24:00 only as an end)`;
  }
  const start = startHour * 60 + startMinute;
  const end = endHour * 60 + endMinute;
  if (start === end) return `"${String(text)}" is empty: start and end must differ (use "00:00-24:00" for a whole day)`;
  return { start, end: end > start ? end : end + MINUTES_PER_DAY };
}

function validateHolidays(holidays: unknown, errors: CalendarFieldError[]): void {
  if (!Array.isArray(holidays)) {
    errors.push({ field: 'holidays', message: 'must be an array (use [] for none)' });
    return;
  }
  holidays.forEach((holiday: unknown, index) => {
    const field = `holidays[${index}]`;
    if (!isPlainObject(holiday)) {
      errors.push({ field, message: 'must be an object with a name and either date or from/to' });
      return;
    }
    if (typeof holiday.name !== 'string' || holiday.name.trim() === '') {
      errors.push({ field: `${field}.name`, message: 'must be a non-empty string' });
    }
    if (holiday.repeatsYearly !== undefined && typeof holiday.repeatsYearly !== 'boolean') {
      errors.push({ field: `${field}.repeatsYearly`, message: 'must be a boolean' });
    }
    const hasRange = 'from' in holiday || 'to' in holiday;
    if ('date' in holiday) {
      if (hasRange) errors.push({ field, message: 'use either date or from/to, not both' });
      else validateIsoDate(holiday.date, `${field}.date`, errors);
    } else if (hasRange) {
      validateHolidayRange(holiday, field, errors);
    } else {
      errors.push({ field, message: 'needs either date or from and to' });
    }
  });
}

function validateHolidayRange(holiday: Record<string, unknown>, field: string, errors: CalendarFieldError[]): void {
  const from = validateIsoDate(holiday.from, `${field}.from`, errors);
  const to = validateIsoDate(holiday.to, `${field}.to`, errors);
  if (from === null || to === null) return;
  if (from > to) {
    errors.push({ field: `${field}.to`, message: `must not be before from (${String(holiday.from)})` });
  } else if (holiday.repeatsYearly === true && to >= sameDayNextYear(holiday.from as string)) {
    errors.push({ field: `${field}.to`, message: 'a yearly repeating range must span less than a year' });
  }
}

function validateIsoDate(value: unknown, field: string, errors: CalendarFieldError[]): number | null {
  const day = typeof value === 'string' ? dayNumberOf(value) : null;
  if (day === null) errors.push({ field, message: 'must be a calendar date formatted yyyy-mm-dd' });
  return day;
}

function dayNumberOf(isoDate: string): number | null {
  const match = ISO_DATE_PATTERN.exec(isoDate);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const isRealDate = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isRealDate ? date.getTime() / DAY_MS : null;
}

function sameDayNextYear(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year + 1, month - 1, day);
  return date.getTime() / DAY_MS;
}

function monthDayOf(isoDate: string): number {
  const [, month, day] = isoDate.split('-').map(Number);
  return month * 100 + day;
}

function mergeDayRanges(ranges: DayRange[]): DayRange[] {
  const merged: DayRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
}

// Day 0 (1970-01-01) was a Thursday.
function weekdayIndexOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function isWeekday(key: string): key is Weekday {
  return (WEEKDAYS as readonly string[]).includes(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
