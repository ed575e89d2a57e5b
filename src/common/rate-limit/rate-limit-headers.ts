/** Where one request stands against one policy, in the terms of draft-ietf-httpapi-ratelimit-headers. */
export interface PolicyStanding {
  policy: 'per-credential' | 'per-ip';
  quota: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the window ends and the quota is whole again. */
  resetSeconds: number;
}

/** `RateLimit-Policy` and `RateLimit` as structured-field lists, one item per policy the request counted against. */
export function rateLimitHeaders(standings: PolicyStanding[]): { 'RateLimit-Policy': string; RateLimit: string } {
  return {
    'RateLimit-Policy': standings.map((s) => `"${s.policy}";q=${s.quota};w=${s.windowSeconds}`).join(', '),
    RateLimit: standings.map((s) => `"${s.policy}";r=${Math.max(0, s.remaining)};t=${Math.max(0, s.resetSeconds)}`).join(', '),
  };
}
