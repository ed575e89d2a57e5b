import { isIP } from 'node:net';
import { ConfigError, flag, integer, serverUrl } from './app-config';

export interface RateLimitConfig {
  /** Off only for benchmarks and local tests: every caller then gets unlimited requests. */
  enabled: boolean;
  /** Requests one bearer credential (API key or token) may make per window, whatever the address it comes from. */
  perCredential: number;
  /** Requests one client address (an IPv6 /64) may make per window, with or without a credential. */
  perIp: number;
  windowSeconds: number;
  /** Sensitive (may hold a password): never logged. Counters live in PostgreSQL when null. */
  redisUrl: string | null;
  redisKeyPrefix: string;
  /**
   * Which peers may tell us the client's address in X-Forwarded-For (Fastify's trustProxy): nobody, a number of
   * proxy hops, or a list of proxy addresses and CIDR ranges. Trusting everyone lets any caller pick its own address.
   */
  trustProxy: boolean | number | string[];
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: NodeJS.ProcessEnv): boolean | number | string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (PROXY_RANGE_NAMES.includes(entry)) continue;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    if (!family || rest.length > 0 || (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits))) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses, CIDR ranges and ${PROXY_RANGE_NAMES.join('/')}; "${entry}" is none of these`,
      );
    }
  }
  return entries;
}

export function rateLimitConfig(env: NodeJS.ProcessEnv): RateLimitConfig {
  const redisKeyPrefix = env.RATE_LIMIT_REDIS_PREFIX ?? 'deskline:rate-limit:';
  if (!/^[\w:.-]{0,64}$/.test(redisKeyPrefix)) {
    throw new ConfigError('RATE_LIMIT_REDIS_PREFIX', `must be at most 64 letters, digits, "_", ":", "." or "-", got "${redisKeyPrefix}"`);
  }
  return {
    enabled: flag(env, 'RATE_LIMIT_ENABLED', true),
    perCredential: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    perIp: integer(env, 'RATE_LIMIT_PER_IP_PER_MINUTE', 1200, 1, 1_000_000),
    windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    redisUrl: serverUrl(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://[:password@]host:port[/db]'),
    redisKeyPrefix,
    trustProxy: trustProxy(env),
  };
}
