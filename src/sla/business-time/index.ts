export {
  WEEKDAYS,
  InvalidBusinessCalendarError,
  compileCalendar,
  validateBusinessCalendar,
} from './business-calendar';
export type {
  BusinessCalendar,
  CalendarFieldError,
  CompiledCalendar,
  Holiday,
  HolidayRange,
  MinuteRange,
  SingleDayHoliday,
  SpecialDay,
  Weekday,
} from './business-calendar';
export {
  CalendarNeverOpensError,
  addBusinessMillis,
  addBusinessMinutes,
  businessMillisBetween,
  businessMinutesBetween,
  isOpenAt,
  nextOpening,
} from './business-time';
export type { BusinessHours, Instant } from './business-time';
