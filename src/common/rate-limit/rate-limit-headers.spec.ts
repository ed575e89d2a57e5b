import { rateLimitHeaders } from './rate-limit-headers';

describe('rateLimitHeaders', () => {
  it('writes one list item per policy in the draft syntax', () => {
    expect(
      rateLimitHeaders([
        { policy: 'per-credential', quota: 600, windowSeconds: 60, remaining: 599, resetSeconds: 42 },
        { policy: 'per-ip', quota: 1200, windowSeconds: 60, remaining: 1100, resetSeconds: 42 },
      ]),
    ).toEqual({
      'RateLimit-Policy': '"per-credential";q=600;w=60, "per-ip";q=1200;w=60',
      RateLimit: '"per-credential";r=599;t=42, "per-ip";r=1100;t=42',
    });
  });

  it('never announces a negative remainder or reset', () => {
    expect(rateLimitHeaders([{ policy: 'per-ip', quota: 2, windowSeconds: 1, remaining: -3, resetSeconds: -1 }]).RateLimit).toBe('"per-ip";r=0;t=0');
  });
});
