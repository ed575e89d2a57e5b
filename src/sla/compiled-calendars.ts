import { BusinessCalendar, BusinessHours, compileCalendar } from './business-time';

export interface StoredCalendar {
  id: string;
  updatedAt: Date | string;
  timezone: string;
  weekly: BusinessCalendar['weekly'];
  holidays: BusinessCalendar['holidays'];
  specialDays: BusinessCalendar['specialDays'];
}

const MAX_ENTRIES = 1000;
const compiled = new Map<string, BusinessHours>();

/**
 * Compiling a calendar parses every interval and holiday, while SLA reads need it on every ticket view: keep the
 * compiled form of recently used versions (keyed by id and update time, so an edit is never served stale).
 */
export function compiledCalendar(calendar: StoredCalendar | null): BusinessHours {
  if (calendar === null) return null;
  const key = `${calendar.id}@${new Date(calendar.updatedAt).getTime()}`;
  let found = compiled.get(key);
  if (found === undefined) {
    found = compileCalendar({ timezone: calendar.timezone, weekly: calendar.weekly, holidays: calendar.holidays, specialDays: calendar.specialDays });
    if (compiled.size >= MAX_ENTRIES) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, found);
  }
  return found;
}
