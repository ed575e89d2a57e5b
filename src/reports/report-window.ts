import { DateTime, IANAZone } from 'luxon';
import { FieldError, ValidationFailed } from '../common/errors/domain-errors';

export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** A report's period: whole local days `from`..`to` (both included) in `timezone`, cut into `interval` buckets. */
export interface ReportWindow {
  from: string;
  to: string;
  timezone: string;
  interval: ReportInterval;
}

const MAX_DAYS: Record<ReportInterval, number> = { day: 366, week: 1830, month: 1830 };
const DEFAULT_DAYS = 30;

/** Fills defaults (the last 30 days up to today in the time zone, daily, UTC) and checks the bounds. */
export function resolveReportWindow(
  input: { from?: string; to?: string; timezone?: string; interval?: ReportInterval },
  now: Date,
): ReportWindow {
  const timezone = input.timezone ?? 'UTC';
  const interval = input.interval ?? 'day';
  const errors: FieldError[] = [];
  if (!IANAZone.isValidZone(timezone)) errors.push({ field: 'timezone', message: `"${timezone}" is not an IANA time zone such as Europe/Paris` });
  const zone = errors.length ? 'UTC' : timezone;
  const parse = (value: string | undefined, field: string) => {
    if (value === undefined) return undefined;
    const date = DateTime.fromISO(value, { zone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !date.isValid) errors.push({ field, message: 'must be a date as YYYY-MM-DD' });
    return date;
  };
  const to = parse(input.to, 'to') ?? (input.from ? undefined : DateTime.fromJSDate(now, { zone }).startOf('day'));
  const from = parse(input.from, 'from') ?? to?.minus({ days: DEFAULT_DAYS - 1 });
  const end = to ?? from!.plus({ days: DEFAULT_DAYS - 1 });
  if (errors.length) throw new ValidationFailed(errors);
  const days = Math.round(end.diff(from!, 'days').days) + 1;
  if (days < 1) throw ValidationFailed.field('to', 'must not be before from');
  if (days > MAX_DAYS[interval]) throw ValidationFailed.field('from', `a ${interval} report covers at most ${MAX_DAYS[interval]} days`);
  return { from: from!.toISODate()!, to: end.toISODate()!, timezone, interval };
}
