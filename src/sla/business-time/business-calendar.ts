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

/**
 * One date's own hours, replacing its weekly intervals: Christmas Eve closing at noon, a Saturday opened for a launch.
 * An empty list closes the day, like a holiday. A special day wins over a holiday on the same date.
 */
export interface SpecialDay {
  date: string;
  hours: string[];
  name: string;
}

export interface BusinessCalendar {
  timezone: string;
  /**
   * Intervals like "09:00-12:30"; "22:00-06:00" runs past midnight and belongs to the day it starts on;
   * "00:00-24:00" is the whole day. A missing day is closed.
   */
  weekly: Partial<Record<Weekday, string[]>>;
  /** A holiday cancels the intervals that start on it, including an overnight shift starting that day. */
  holidays: Holiday[];
  /** Dates whose intervals replace the weekly ones (absent means none). */
  specialDays?: SpecialDay[];
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
  /** Wall-clock open time of a week, ignoring holidays, special days and UTC-offset changes. */
  readonly weeklyOpenMillis: number;
  /** False when neither the week nor any special day has an interval: no amount of business time can elapse. */
  readonly opensAtAll: boolean;
  /** Wall-clock open time of the intervals starting on `day` (its special hours, none on a holiday), ignoring UTC-offset changes. */
  wallClockOpenMillisOn(day: number): number;
  openRangesStartingOn(day: number): readonly MinuteRange[];
  isHoliday(day: number): boolean;
  /** The first day in the range whose hours are not its weekday's: a holiday or a special day. */
  firstIrregularDayWithin(fromDay: number, untilDay: number): number | undefined;
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
  validateSpecialDays(input.specialDays, errors);
  // Overnight intervals can only be checked against their neighbours once every part is known to be well formed.
  if (errors.length === 0) reportSpecialDayOverlaps(input as unknown as BusinessCalendar, errors);
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

// Day flags are computed lazily per block of days, as the walk asks about most days at least once.
const DAY_FLAG_BLOCK_DAYS = 256;
const REGULAR_DAY = 0;
const HOLIDAY = 1;
const SPECIAL_DAY = 2;

class ParsedCalendar implements CompiledCalendar {
  readonly timezone: string;
  readonly weeklyOpenMillis: number;
  readonly opensAtAll: boolean;
  private readonly clock: ZoneClock;
  private readonly rangesByWeekday: MinuteRange[][];
  private readonly openMillisByWeekday: number[];
  private readonly datedHolidays: DayRange[];
  private readonly yearlyHolidays: MonthDayRange[];
  private readonly specialRangesByDay: Map<number, MinuteRange[]>;
  private readonly hasIrregularDays: boolean;
  private readonly dayFlagBlocks = new Map<number, Uint8Array>();

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
    this.specialRangesByDay = new Map(
      (calendar.specialDays ?? []).map((special) => [
        dayNumberOf(special.date) as number,
        special.hours.map((text) => parseInterval(text) as MinuteRange).sort((a, b) => a.start - b.start),
      ]),
    );
    this.hasIrregularDays = dated.length > 0 || yearly.length > 0 || this.specialRangesByDay.size > 0;
    this.opensAtAll = this.weeklyOpenMillis > 0 || [...this.specialRangesByDay.values()].some((ranges) => ranges.length > 0);
  }

  localDayOf(instant: number): number {
    return Math.floor(this.clock.wallTimeOf(instant) / DAY_MS);
  }

  wallClockOpenMillisOn(day: number): number {
    const flag = this.dayFlagOf(day);
    if (flag === REGULAR_DAY) return this.openMillisByWeekday[weekdayIndexOf(day)];
    return this.openRangesStartingOn(day).reduce((total, range) => total + range.end - range.start, 0) * MINUTE_MS;
  }

  openRangesStartingOn(day: number): readonly MinuteRange[] {
    const flag = this.dayFlagOf(day);
    if (flag === SPECIAL_DAY) return this.specialRangesByDay.get(day) as MinuteRange[];
    return flag === HOLIDAY ? [] : this.rangesByWeekday[weekdayIndexOf(day)];
  }

  isHoliday(day: number): boolean {
    return this.dayFlagOf(day) === HOLIDAY;
  }

  firstIrregularDayWithin(fromDay: number, untilDay: number): number | undefined {
    if (!this.hasIrregularDays) return undefined;
    for (let day = fromDay; day <= untilDay; ) {
      const blockIndex = Math.floor(day / DAY_FLAG_BLOCK_DAYS);
      const firstDayOfBlock = blockIndex * DAY_FLAG_BLOCK_DAYS;
      const flags = this.dayFlagsOfBlock(blockIndex);
      for (let offset = day - firstDayOfBlock; offset < DAY_FLAG_BLOCK_DAYS; offset++) {
        if (flags[offset] !== REGULAR_DAY) return firstDayOfBlock + offset <= untilDay ? firstDayOfBlock + offset : undefined;
      }
      day = firstDayOfBlock + DAY_FLAG_BLOCK_DAYS;
    }
    return undefined;
  }

  instantOf(day: number, minuteOfDay: number): number {
    return this.clock.instantOf(day * DAY_MS + minuteOfDay * MINUTE_MS);
  }

  firstOffsetChangeWithin(from: number, to: number): number | undefined {
    return this.clock.firstChangeWithin(from, to);
  }

  private dayFlagOf(day: number): number {
    if (!this.hasIrregularDays) return REGULAR_DAY;
    const blockIndex = Math.floor(day / DAY_FLAG_BLOCK_DAYS);
    return this.dayFlagsOfBlock(blockIndex)[day - blockIndex * DAY_FLAG_BLOCK_DAYS];
  }

  private dayFlagsOfBlock(blockIndex: number): Uint8Array {
    let flags = this.dayFlagBlocks.get(blockIndex);
    if (!flags) {
      flags = new Uint8Array(DAY_FLAG_BLOCK_DAYS);
      for (let offset = 0; offset < DAY_FLAG_BLOCK_DAYS; offset++) {
        const day = blockIndex * DAY_FLAG_BLOCK_DAYS + offset;
        if (this.specialRangesByDay.has(day)) flags[offset] = SPECIAL_DAY;
        else if (this.isDatedHoliday(day) || this.isYearlyHoliday(day)) flags[offset] = HOLIDAY;
        else flags[offset] = REGULAR_DAY;
      }
      this.dayFlagBlocks.set(blockIndex, flags);
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

const MAX_SPECIAL_DAY_INTERVALS = 12;

function validateSpecialDays(specialDays: unknown, errors: CalendarFieldError[]): void {
  if (specialDays === undefined) return;
  if (!Array.isArray(specialDays)) {
    errors.push({ field: 'specialDays', message: 'must be an array (use [] for none)' });
    return;
  }
  const fieldByDate = new Map<string, string>();
  specialDays.forEach((special: unknown, index) => {
    const field = `specialDays[${index}]`;
    if (!isPlainObject(special)) {
      errors.push({ field, message: 'must be an object with date, hours and name' });
      return;
    }
    for (const key of Object.keys(special)) {
      if (!['date', 'hours', 'name'].includes(key)) errors.push({ field: `${field}.${key}`, message: 'is not a special-day property (date, hours, name)' });
    }
    if (typeof special.name !== 'string' || special.name.trim() === '') {
      errors.push({ field: `${field}.name`, message: 'must be a non-empty string' });
    }
    if (validateIsoDate(special.date, `${field}.date`, errors) !== null) {
      const earlier = fieldByDate.get(special.date as string);
      if (earlier) errors.push({ field: `${field}.date`, message: `${String(special.date)} already has special hours (${earlier})` });
      else fieldByDate.set(special.date as string, field);
    }
    if (!Array.isArray(special.hours)) {
      errors.push({ field: `${field}.hours`, message: 'must be an array of "HH:MM-HH:MM" intervals ([] closes the day)' });
      return;
    }
    if (special.hours.length > MAX_SPECIAL_DAY_INTERVALS) {
      errors.push({ field: `${field}.hours`, message: `must hold at most ${MAX_SPECIAL_DAY_INTERVALS} intervals` });
      return;
    }
    const intervals: PlacedInterval[] = [];
    special.hours.forEach((text: unknown, intervalIndex) => {
      const intervalField = `${field}.hours[${intervalIndex}]`;
      const parsed = parseInterval(text);
      if (typeof parsed === 'string') errors.push({ field: intervalField, message: parsed });
      else intervals.push({ field: intervalField, text: text as string, range: parsed });
    });
    reportOverlapsWithinDay(intervals.sort((a, b) => a.range.start - b.range.start), errors);
  });
}

/**
 * An overnight interval belongs to the day it starts on, so a special day's late shift may run into the next day's
 * first interval, and the previous day's night shift into the special day's morning: both would count twice.
 */
function reportSpecialDayOverlaps(source: BusinessCalendar, errors: CalendarFieldError[]): void {
  const calendar = new ParsedCalendar(source);
  (source.specialDays ?? []).forEach((special, index) => {
    const day = dayNumberOf(special.date) as number;
    const field = `specialDays[${index}].hours`;
    const spillsInto = (from: number, to: number) =>
      calendar.openRangesStartingOn(from).some((spill) =>
        spill.end > MINUTES_PER_DAY && calendar.openRangesStartingOn(to).some((next) => next.start < spill.end - MINUTES_PER_DAY));
    if (spillsInto(day - 1, day)) errors.push({ field, message: 'overlaps the previous day\'s overnight interval running into this date' });
    if (spillsInto(day, day + 1)) errors.push({ field, message: 'has an overnight interval overlapping the next day\'s first interval' });
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
