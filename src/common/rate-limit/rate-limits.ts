import fastifyRateLimit, { FastifyRateLimitStoreCtor, normalizeIP } from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RateLimitConfig } from '../../config/rate-limit-config';
import { PROBLEM_CONTENT_TYPE, problemForStatus } from '../errors/problem';
import { PostgresRateLimitStore } from './postgres-rate-limit-store';
import { PolicyStanding, rateLimitHeaders } from './rate-limit-headers';
import { RateLimitStore } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const BEARER = /^Bearer\s+(\S+)$/i;
// Clients behind one IPv6 prefix usually hold a whole /64; counting single addresses would give each of them 2^64 buckets.
const IPV6_SUBNET = 64;

// A probe that gets 429 takes a healthy instance out of rotation, and during a flood that is exactly when it is needed.
// Probes come from the orchestrator, often from one address shared with other traffic; the liveness answer does no
// work and readiness one trivial query, so there is little to gain by an attacker there.
function isProbe(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route === '/health' || route === '/health/ready';
}

/**
 * The bucket of a bearer credential, resolved without a database lookup so that unknown, revoked and forged
 * credentials are counted too. Only a SHA-256 of the credential is stored or compared; the secret never is.
 */
function credentialBucket(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  return match ? 'credential:' + createHash('sha256').update(match[1]).digest('base64url') : null;
}

function ipBucket(request: FastifyRequest): string {
  return 'ip:' + normalizeIP(request.ip ?? 'unknown', IPV6_SUBNET);
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

const REFUSALS: Record<PolicyStanding['policy'], string> = {
  'per-credential': 'This credential',
  'per-ip': 'This client address',
};

/**
 * Per-credential and per-address request limits on every route but the health probes, REST and GraphQL alike, in
 * fixed windows counted in PostgreSQL (or Redis when REDIS_URL is set) so they hold across instances. Every answer
 * carries RateLimit-Policy and RateLimit; a request over either limit is refused with 429 and Retry-After before its
 * body is read.
 */
export async function registerRateLimits(app: NestFastifyApplication, config: RateLimitConfig): Promise<void> {
  if (!config.enabled) return;
  const fastify = app.getHttpAdapter().getInstance();
  const store: RateLimitStore = config.redisUrl
    ? await RedisRateLimitStore.connect(config.redisUrl, config.redisKeyPrefix)
    : new PostgresRateLimitStore(app.get(DataSource), config.windowSeconds);
  fastify.addHook('onClose', async () => store.close());
  // The plugin constructs its store itself; this hands it the one built above.
  const sharedStore = function sharedStore() {
    return store;
  } as unknown as FastifyRateLimitStoreCtor;
  // skipOnError: while the counters are unreachable, requests pass uncounted rather than all failing.
  await fastify.register(fastifyRateLimit, { global: false, store: sharedStore, skipOnError: true });

  const timeWindow = config.windowSeconds * 1000;
  const limiters: Array<{ policy: PolicyStanding['policy']; quota: number; applies: (request: FastifyRequest) => boolean; limit: Limiter }> = [
    {
      policy: 'per-credential',
      quota: config.perCredential,
      applies: (request) => BEARER.test(String(request.headers.authorization ?? '')),
      limit: fastify.createRateLimit({ keyGenerator: (request) => credentialBucket(request)!, max: config.perCredential, timeWindow }),
    },
    {
      policy: 'per-ip',
      quota: config.perIp,
      applies: () => true,
      limit: fastify.createRateLimit({ keyGenerator: ipBucket, max: config.perIp, timeWindow }),
    },
  ];

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isProbe(request)) return;
    const applicable = limiters.filter((limiter) => limiter.applies(request));
    const results = await Promise.all(applicable.map((limiter) => limiter.limit(request)));
    const standings: Array<PolicyStanding & { exceeded: boolean }> = [];
    results.forEach((result, index) => {
      // A zero ttl means the store could not count this hit (skipOnError): there is nothing true to announce.
      if (result.isAllowed || !result.ttl) return;
      const { policy, quota } = applicable[index];
      standings.push({ policy, quota, windowSeconds: config.windowSeconds, remaining: result.remaining, resetSeconds: result.ttlInSeconds, exceeded: result.isExceeded });
    });
    if (standings.length > 0) reply.headers(rateLimitHeaders(standings));
    const exceeded = standings.filter((standing) => standing.exceeded);
    if (exceeded.length === 0) return;
    const retryAfter = Math.max(1, ...exceeded.map((standing) => standing.resetSeconds));
    const first = exceeded[0];
    const problem = problemForStatus(
      429,
      `${REFUSALS[first.policy]} made more than ${first.quota} requests in ${first.windowSeconds} s; retry after ${retryAfter} s.`,
      { policy: first.policy, limit: first.quota, windowSeconds: first.windowSeconds, retryAfterSeconds: retryAfter },
    );
    return reply.code(429).header('retry-after', String(retryAfter)).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
}
