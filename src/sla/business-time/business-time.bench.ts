// Run with: npx ts-node --transpile-only src/sla/business-time/business-time.bench.ts
import { addBusinessMinutes, compileCalendar } from './index';

const CALLS = 1000;
const BUSINESS_MINUTES = 10_000 * 60;
const workday = ['09:00-12:30', '13:30-18:00'];

const calendar = compileCalendar({
  timezone: 'America/New_York',
  weekly: { monday: workday, tuesday: workday, wednesday: workday, thursday: workday, friday: workday },
  holidays: [
    { date: '2026-01-01', name: "New Year's Day", repeatsYearly: true },
    { date: '2026-07-04', name: 'Independence Day', repeatsYearly: true },
    { from: '2026-12-24', to: '2026-12-26', name: 'Christmas', repeatsYearly: true },
    { date: '2026-11-26', name: 'Thanksgiving 2026' },
  ],
});

const firstStart = Date.parse('2026-11-27T22:30:00Z');

function run(calls: number): { totalMs: number; latestDue: Date } {
  let latestDue = new Date(0);
  const startedAt = process.hrtime.bigint();
  for (let call = 0; call < calls; call++) {
    // Starts spread over a week so that calls do not all take the same path.
    const due = addBusinessMinutes(calendar, firstStart + call * 617_000, BUSINESS_MINUTES);
    if (due > latestDue) latestDue = due;
  }
  return { totalMs: Number(process.hrtime.bigint() - startedAt) / 1e6, latestDue };
}

const perCallMicros = (result: { totalMs: number }) => ((result.totalMs * 1000) / CALLS).toFixed(1);

// The first call also discovers the zone's offset history, which is then cached per zone.
const cold = run(1);
const firstRound = run(CALLS);
const secondRound = run(CALLS);
console.log(`first call (cold zone cache): ${cold.totalMs.toFixed(3)} ms`);
console.log(
  `addBusinessMinutes(10,000 business hours), average over ${CALLS} calls: ` +
    `${perCallMicros(firstRound)} µs while the JIT warms up, ${perCallMicros(secondRound)} µs once warm ` +
    `(latest due ${secondRound.latestDue.toISOString()})`,
);
