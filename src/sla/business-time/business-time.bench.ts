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

function run(calls: number): { totalMs: number; checksum: number } {
  let checksum = 0;
  const startedAt = process.hrtime.bigint();
  for (let call = 0; call < calls; call++) {
    // Starts spread over a week so calls do not all take the same path.
    checksum += addBusinessMinutes(calendar, firstStart + call * 617_000, BUSINESS_MINUTES).getTime() % 1000;
  }
  return { totalMs: Number(process.hrtime.bigint() - startedAt) / 1e6, checksum };
}

// The first call also discovers the zone's offset history, which is then cached per zone.
const cold = run(1);
const warm = run(CALLS);
console.log(`first call (cold zone cache): ${cold.totalMs.toFixed(3)} ms`);
console.log(
  `addBusinessMinutes(10,000 business hours): ${((warm.totalMs * 1000) / CALLS).toFixed(1)} µs per call ` +
    `averaged over ${CALLS} calls (checksum ${warm.checksum})`,
);
