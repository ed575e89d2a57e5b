import { countAttempt, FailureCount, secondsToWait } from './login-throttle-policy';

const rule = { maxFailuresBeforeDelay: 5, failureWindowSeconds: 900 };
const start = new Date('2026-12-04T10:00:00Z');
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const fresh: FailureCount = { failures: 0, lastFailureAt: start, blockedUntil: null };

function afterAttempts(n: number, now = start): FailureCount {
  let count = fresh;
  for (let i = 0; i < n; i++) count = countAttempt(count, rule, now);
  return count;
}

describe('login throttle policy', () => {
  it('lets attempts through without delay below the threshold', () => {
    const count = afterAttempts(4);
    expect(count.failures).toBe(4);
    expect(count.blockedUntil).toBeNull();
    expect(secondsToWait(count, start)).toBe(0);
  });

  it('blocks for 1 s at the threshold, then doubles with every further failure', () => {
    expect(secondsToWait(afterAttempts(5), start)).toBe(1);
    expect(secondsToWait(afterAttempts(6), start)).toBe(2);
    expect(secondsToWait(afterAttempts(7), start)).toBe(4);
    expect(secondsToWait(afterAttempts(10), start)).toBe(32);
  });

  it('never asks for more than the window, however many failures', () => {
    expect(secondsToWait(afterAttempts(40), start)).toBe(900);
    expect(secondsToWait(countAttempt({ failures: 100_000, lastFailureAt: start, blockedUntil: null }, rule, start), start)).toBe(900);
  });

  it('allows the attempt once the block has passed, to the millisecond', () => {
    const count = afterAttempts(6);
    expect(secondsToWait(count, at(1.999))).toBe(1);
    expect(secondsToWait(count, at(2))).toBe(0);
  });

  it('starts counting again after a whole window without a failure', () => {
    const count = afterAttempts(7);
    expect(countAttempt(count, rule, at(899.999)).failures).toBe(8);
    expect(countAttempt(count, rule, at(900))).toEqual({ failures: 1, lastFailureAt: at(900), blockedUntil: null });
  });
});
