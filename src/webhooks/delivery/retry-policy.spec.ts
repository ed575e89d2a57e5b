import fc from 'fast-check';
import { classifyResponse, judgeAttempt, retryDelayMs } from './retry-policy';

const SCHEDULE = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
const rules = { retryScheduleMs: SCHEDULE, disableAfterDays: 5 };
const now = new Date('2026-03-02T10:00:00Z');
const middle = () => 0.5;

describe('retry policy', () => {
  it('treats 2xx as success, 410 as gone and everything else, including redirects and no answer, as failure', () => {
    expect([200, 201, 204, 299].map(classifyResponse)).toEqual(['success', 'success', 'success', 'success']);
    expect(classifyResponse(410)).toBe('gone');
    expect([null, 100, 301, 302, 400, 404, 429, 500, 503].map(classifyResponse).every((outcome) => outcome === 'failure')).toBe(true);
  });

  it('follows the schedule, then gives up', () => {
    expect(SCHEDULE.map((_, index) => retryDelayMs(SCHEDULE, index + 1, middle))).toEqual(SCHEDULE);
    expect(retryDelayMs(SCHEDULE, SCHEDULE.length + 1, middle)).toBeNull();
  });

  it('keeps jitter within ten percent of the scheduled delay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: SCHEDULE.length }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const delay = retryDelayMs(SCHEDULE, attempt, () => random)!;
        const base = SCHEDULE[attempt - 1];
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      }),
    );
  });

  it('spans about a day and a half of retries by default', () => {
    const total = SCHEDULE.reduce((sum, delay) => sum + delay, 0);
    expect(total / 3_600_000).toBeGreaterThan(24);
    expect(total / 3_600_000).toBeLessThan(36);
  });

  it('marks a success healthy and a 410 disabled at once', () => {
    expect(judgeAttempt({ statusCode: 204, attemptNumber: 3, failingSince: now, now }, rules)).toEqual({ delivery: { status: 'succeeded' }, endpoint: { health: 'healthy' } });
    expect(judgeAttempt({ statusCode: 410, attemptNumber: 1, failingSince: null, now }, rules)).toEqual({
      delivery: { status: 'failed' },
      endpoint: { health: 'disabled', reason: 'gone', since: now },
    });
  });

  it('schedules a retry after a failure and fails the delivery after the last one', () => {
    expect(judgeAttempt({ statusCode: 500, attemptNumber: 1, failingSince: null, now }, rules, middle)).toEqual({
      delivery: { status: 'pending', retryInMs: 5_000 },
      endpoint: { health: 'failing', since: now },
    });
    expect(judgeAttempt({ statusCode: null, attemptNumber: 8, failingSince: now, now }, rules, middle).delivery).toEqual({ status: 'failed' });
  });

  it('disables an endpoint only once it has failed for the whole span', () => {
    const justUnder = new Date(now.getTime() - 5 * 86_400_000 + 1);
    const exactly = new Date(now.getTime() - 5 * 86_400_000);
    expect(judgeAttempt({ statusCode: 503, attemptNumber: 1, failingSince: justUnder, now }, rules).endpoint).toEqual({ health: 'failing', since: justUnder });
    expect(judgeAttempt({ statusCode: 503, attemptNumber: 1, failingSince: exactly, now }, rules).endpoint).toEqual({ health: 'disabled', reason: 'failing', since: exactly });
  });
});
