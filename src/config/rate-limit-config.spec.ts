import { ConfigError } from './app-config';
import { rateLimitConfig } from './rate-limit-config';

function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    rateLimitConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('rateLimitConfig', () => {
  it('limits by default: 600 per credential and 1200 per address a minute, counted in PostgreSQL, no proxy trusted', () => {
    expect(rateLimitConfig({})).toEqual({
      enabled: true,
      perCredential: 600,
      perIp: 1200,
      windowSeconds: 60,
      redisUrl: null,
      redisKeyPrefix: 'deskline:rate-limit:',
      trustProxy: false,
    });
  });

  it.each([
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['RATE_LIMIT_PER_MINUTE', '1000001'],
    ['RATE_LIMIT_PER_IP_PER_MINUTE', '0'],
    ['RATE_LIMIT_PER_IP_PER_MINUTE', 'lots'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['RATE_LIMIT_WINDOW_SECONDS', '3601'],
    ['RATE_LIMIT_ENABLED', 'maybe'],
    ['REDIS_URL', 'http://cache:6379'],
    ['REDIS_URL', 'not a url'],
    ['RATE_LIMIT_REDIS_PREFIX', 'has space'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['TRUST_PROXY', '10.0.0.1,'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(refusal({ [variable]: value }).variable).toBe(variable);
  });

  it('accepts the edges of every range', () => {
    const config = rateLimitConfig({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', RATE_LIMIT_WINDOW_SECONDS: '3600', RATE_LIMIT_ENABLED: 'false' });
    expect(config).toMatchObject({ perCredential: 1, perIp: 1_000_000, windowSeconds: 3600, enabled: false });
    expect(rateLimitConfig({ RATE_LIMIT_WINDOW_SECONDS: '1' }).windowSeconds).toBe(1);
  });

  it('trusts proxies by hop count or by address and range, never everyone unless told', () => {
    expect(rateLimitConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(rateLimitConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(rateLimitConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(rateLimitConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.10, fd00::/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8', 'loopback']);
    expect(rateLimitConfig({ REDIS_URL: 'rediss://:secret@cache:6380/2' }).redisUrl).toBe('rediss://:secret@cache:6380/2');
  });
});
