import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { HitCallback, RateLimitStore } from './rate-limit-store';

// The plugin's own Redis store (an atomic Lua INCR + PEXPIRE per bucket); only its route-specific child naming is left out.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PluginRedisStore = require('@fastify/rate-limit/store/RedisStore');

/** Counters in Redis when REDIS_URL is set: shared by every instance that uses the same server and key prefix. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly logger = new Logger('RateLimits');
  private readonly counters: { incr(bucket: string, callback: HitCallback, windowMs: number, max: number): void };
  private lastWarning = 0;

  private constructor(private readonly redis: Redis, keyPrefix: string) {
    this.counters = new PluginRedisStore(false, false, redis, keyPrefix);
    redis.on('error', (error: Error) => this.warn(error));
  }

  /** Refuses to boot when Redis does not answer: an operator who set REDIS_URL expects limits shared through it. */
  static async connect(url: string, keyPrefix: string): Promise<RedisRateLimitStore> {
    // No offline queue and one retry: while Redis is away, requests pass uncounted at once instead of waiting for it.
    const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000, enableAutoPipelining: true });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(`Cannot reach Redis at REDIS_URL for rate limits: ${(error as Error).message}`);
    }
    return new RedisRateLimitStore(redis, keyPrefix);
  }

  incr(bucket: string, callback: HitCallback, windowMs: number, max: number): void {
    this.counters.incr(bucket, (error, result) => {
      if (error) this.warn(error);
      callback(error, result);
    }, windowMs, max);
  }

  child(): RateLimitStore {
    return this;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private warn(error: Error): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Rate-limit counters in Redis unavailable, requests pass uncounted: ${error.message}`);
  }
}
