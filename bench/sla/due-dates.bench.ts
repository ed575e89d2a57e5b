// npm run bench:sla — due-date computations per second for 1-hour, 1-day and 30-day targets, against a naive
// minute-by-minute walk that exists only here, as the reference the real implementation must beat.
import { DateTime } from 'luxon';
import { addBusinessMinutes, compileCalendar, CompiledCalendar, isOpenAt } from '../../src/sla/business-time';

const workday = ['09:00-12:30', '13:30-18:00'];
const calendar = compileCalendar({
  timezone: 'America/New_York',
  weekly: { monday: workday, tuesday: workday, wednesday: workday, thursday: workday, friday: workday },
  holidays: [
    { date: '2026-01-01', name: "New Year's Day", repeatsYearly: true },
    { date: '2026-07-04', name: 'Independence Day', repeatsYearly: true },
    { from: '2026-12-24', to: '2026-12-26', name: 'Christmas', repeatsYearly: true },
  ],
});

/** The obvious implementation: step one minute at a time and count the minutes that are open. */
function naiveAddBusinessMinutes(compiled: CompiledCalendar, start: number, minutes: number): Date {
  let at = Math.ceil(start / 60_000) * 60_000;
  let remaining = minutes;
  while (remaining > 0) {
    if (isOpenAt(compiled, at)) remaining -= 1;
    at += 60_000;
  }
  return new Date(at);
}

const TARGETS = [
  { label: '1 hour', minutes: 60 },
  { label: '1 day (8 business hours)', minutes: 8 * 60 },
  { label: '30 days (240 business hours)', minutes: 30 * 8 * 60 },
];
const firstStart = DateTime.fromISO('2026-03-02T08:17:00', { zone: 'America/New_York' }).toMillis();
// Starts spread over several weeks, across the DST change, so calls do not all take one path.
const startOf = (call: number) => firstStart + ((call * 7_919) % (60 * 1440)) * 60_000;

function perSecond(run: (call: number) => Date, budgetMs: number): { perSecond: number; checksum: number } {
  let calls = 0;
  let checksum = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < budgetMs) {
    for (let i = 0; i < 50; i++) checksum += run(calls++).getTime() % 997;
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return { perSecond: (calls / elapsedMs) * 1000, checksum };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`Due dates in America/New_York, ${workday.join(' + ')} on weekdays, with holidays (node ${process.version})`);
console.log('target                         | calendar math /s | naive minute walk /s | speed-up');
for (const target of TARGETS) {
  // The reference must agree before its speed means anything.
  for (let call = 0; call < 5; call++) {
    const fast = addBusinessMinutes(calendar, startOf(call), target.minutes).getTime();
    const slow = naiveAddBusinessMinutes(calendar, startOf(call), target.minutes).getTime();
    if (fast !== slow) throw new Error(`mismatch for ${target.label} from ${new Date(startOf(call)).toISOString()}: ${fast} vs ${slow}`);
  }
  perSecond((call) => addBusinessMinutes(calendar, startOf(call), target.minutes), 200);
  const fast = perSecond((call) => addBusinessMinutes(calendar, startOf(call), target.minutes), 1000);
  const naive = perSecond((call) => naiveAddBusinessMinutes(calendar, startOf(call), target.minutes), 1000);
  console.log(`${target.label.padEnd(30)} | ${fmt(fast.perSecond).padStart(16)} | ${fmt(naive.perSecond).padStart(20)} | ${(fast.perSecond / naive.perSecond).toFixed(0).padStart(7)}x`);
}
