import type { FastifyRateLimitStore } from '@fastify/rate-limit';

/** The store contract of @fastify/rate-limit: count one hit on a bucket, answer its count in this window and what is left of it. */
export type HitCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Our buckets already carry their policy in their name, so a route-specific child store would only rename them. */
export interface RateLimitStore extends FastifyRateLimitStore {
  close(): Promise<void>;
}
