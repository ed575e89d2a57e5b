import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ObservabilityConfig, observabilityConfig } from './observability-config';
import { RateLimitConfig, rateLimitConfig } from './rate-limit-config';
import { MailSecurityConfig, mailSecurityConfig } from './mail-security-config';
import { GraphqlConfig, graphqlConfig } from './graphql-config';
import { SessionConfig, sessionConfig } from './session-config';
import { PasswordConfig, passwordConfig } from './password-config';
import { HttpConfig, httpConfig } from './http-config';
import { InputConfig, inputConfig } from './input-config';
import { RealtimeConfig, realtimeConfig } from './realtime-config';
import { RealtimePushConfig, realtimePushConfig } from './realtime-push-config';
import { KeysConfig, keysConfig } from './keys-config';
import { UploadsConfig, uploadsConfig } from './uploads-config';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  /**
   * DATABASE_DIRECT_URL: a session-capable connection (straight to PostgreSQL) for LISTEN, advisory locks and migrations,
   * when DATABASE_URL points at PgBouncer in transaction pooling mode. Unset: the same as DATABASE_URL.
   */
  databaseDirectUrl: string | null;
  dataDir: string;
  /** Sensitive: never logged. */
  jwtSecret: string;
  /** Where the two instance-wide keys come from, and whether the database must supply them (see keys-config.ts). */
  keys: KeysConfig;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Sensitive: never logged. */
  bootstrapApiKey: string | null;
  logLevel: LogLevel;
  http: HttpConfig;
  databasePoolSize: number;
  webhooks: WebhookConfig;
  channels: ChannelsConfig;
  mailSecurity: MailSecurityConfig;
  clock: ClockMode;
  sla: SlaConfig;
  rateLimits: RateLimitConfig;
  graphql: GraphqlConfig;
  sessions: SessionConfig;
  input: InputConfig;
  passwords: PasswordConfig;
  realtime: RealtimeConfig;
  realtimePush: RealtimePushConfig;
  observability: ObservabilityConfig;
  uploads: UploadsConfig;
  timeRules: TimeRulesConfig;
}

/** Time-based automation rules (automation/time-rules). */
export interface TimeRulesConfig {
  /** Whether this instance runs the time-rule passes; every instance may (firings stay exactly-once). */
  schedulerEnabled: boolean;
  intervalMs: number;
}

function timeRulesConfig(env: NodeJS.ProcessEnv): TimeRulesConfig {
  const enabled = env.TIME_RULES_SCHEDULER_ENABLED;
  if (enabled !== undefined && enabled !== '' && !['true', 'false', '1', '0'].includes(enabled)) {
    throw new ConfigError('TIME_RULES_SCHEDULER_ENABLED', `must be true or false, got "${enabled}"`);
  }
  return { schedulerEnabled: !(enabled === 'false' || enabled === '0'), intervalMs: integer(env, 'TIME_RULES_INTERVAL_MS', 60_000, 1000, 3_600_000) };
}

/** `manual` makes time stand still until a test moves it (see common/clock); never use it in production. */
export type ClockMode = 'system' | 'manual';

export interface SlaConfig {
  /** Whether this instance runs the breach, warning and auto-close scans; every instance may. */
  schedulerEnabled: boolean;
  scanIntervalMs: number;
  /** How long before a due time `sla.warning` fires; 0 turns warnings off. */
  warningMinutes: number;
}

export interface ChannelsConfig {
  /** Largest raw email accepted, by the inbound endpoint and from IMAP. */
  maxEmailBytes: number;
  /** Larger attachments are dropped from the ticket (the full original email keeps them). */
  maxAttachmentBytes: number;
  /** Whether this instance sends queued outbound mail and polls IMAP mailboxes. */
  mailWorkerEnabled: boolean;
  mailPollIntervalMs: number;
  /** Delay before each retry of a transient SMTP failure; after the last one the message is marked failed. */
  mailRetryScheduleMs: number[];
  imapPollIntervalMs: number;
  /** Whether this instance keeps an IMAP IDLE session open for mailboxes whose server offers IDLE. */
  imapIdleEnabled: boolean;
  /** How long an instance's claim on a mailbox's IDLE session lasts unless renewed; another instance takes over after it. */
  imapIdleLeaseMs: number;
  /** Most IDLE sessions (one socket each) this instance holds at once; other mailboxes are polled. */
  imapIdleMaxSessions: number;
  portalTokenTtlSeconds: number;
}

export interface WebhookConfig {
  /** Sensitive: never logged. AES-256-GCM key sealing signing secrets at rest. */
  encryptionKey: Buffer;
  /** WEBHOOK_ENCRYPTION_KEY_PREVIOUS: still opens what it sealed while `npm run keys:reseal` moves everything to the new key. */
  previousEncryptionKey: Buffer | null;
  timeoutMs: number;
  /** Delay before each retry; its length is the number of retries after the first attempt. */
  retryScheduleMs: number[];
  disableAfterDays: number;
  allowHttp: boolean;
  allowPrivateAddresses: boolean;
  /** Whether this instance runs the dispatcher; API-only instances can turn it off. */
  dispatcherEnabled: boolean;
  pollIntervalMs: number;
  maxConcurrentDeliveries: number;
  maxConcurrentPerEndpoint: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A server address from the environment: unset is null; otherwise a URL with one of `schemes` (e.g. `postgres:`). */
export function serverUrl(env: NodeJS.ProcessEnv, variable: string, schemes: string[], expected: string): string | null {
  const raw = env[variable];
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, `is not a valid URL (expected ${expected})`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new ConfigError(variable, `must use the ${schemes.map((scheme) => `${scheme}//`).join(' or ')} scheme, got "${url.protocol}"`);
  }
  return raw;
}

/** Kept in DATA_DIR so tokens survive restarts without the operator having to invent a secret. */
function persistedSecret(dataDir: string, fileName: string): string {
  const file = join(dataDir, fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** NODE_ENV=production: the settings that differ (CORS, HSTS, GraphQL introspection) read it here, one way. */
export function isProduction(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV === 'production';
}

export function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

function retrySchedule(env: NodeJS.ProcessEnv): number[] {
  const raw = env.WEBHOOK_RETRY_SCHEDULE_MS;
  if (raw === undefined || raw === '') return DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS;
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length > 20 || parts.some((part) => !/^\d{1,9}$/.test(part))) {
    throw new ConfigError('WEBHOOK_RETRY_SCHEDULE_MS', `must be a comma-separated list of at most 20 delays in milliseconds, got "${raw}"`);
  }
  return parts.map(Number);
}

/**
 * Like persistedSecret, but several processes booting at once on one DATA_DIR must end up with the same key:
 * the file appears atomically (link of a complete temporary file), and the loser of the race reads the winner's.
 */
function persistedKey(dataDir: string, fileName: string): string {
  const file = join(dataDir, fileName);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  return readFileSync(file, 'utf8').trim();
}

function sealingKey(encoded: string, variable: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== 32) {
    throw new ConfigError(variable, 'must hold 32 random bytes in base64 (for example: openssl rand -base64 32)');
  }
  return key;
}

function webhookConfig(env: NodeJS.ProcessEnv, dataDir: string): WebhookConfig {
  const external = Boolean(env.DATABASE_URL);
  const variable = env.WEBHOOK_ENCRYPTION_KEY ? 'WEBHOOK_ENCRYPTION_KEY' : `the key file ${join(dataDir, 'webhook-encryption-key')}`;
  // With a shared database and no key given, the database supplies one at boot (keys-config.ts); never a per-instance file.
  const encoded = env.WEBHOOK_ENCRYPTION_KEY || (external ? null : persistedKey(dataDir, 'webhook-encryption-key'));
  const encryptionKey = encoded === null ? Buffer.alloc(0) : sealingKey(encoded, variable);
  const previousEncryptionKey = env.WEBHOOK_ENCRYPTION_KEY_PREVIOUS ? sealingKey(env.WEBHOOK_ENCRYPTION_KEY_PREVIOUS, 'WEBHOOK_ENCRYPTION_KEY_PREVIOUS') : null;
  return {
    encryptionKey,
    previousEncryptionKey,
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    retryScheduleMs: retrySchedule(env),
    disableAfterDays: integer(env, 'WEBHOOK_DISABLE_AFTER_DAYS', 5, 1, 90),
    // Secure by default: endpoints must be https on public addresses unless the operator opts out (tests, private networks).
    allowHttp: flag(env, 'WEBHOOK_ALLOW_HTTP', false),
    allowPrivateAddresses: flag(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    dispatcherEnabled: flag(env, 'WEBHOOK_DISPATCHER_ENABLED', true),
    pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 50, 60_000),
    maxConcurrentDeliveries: integer(env, 'WEBHOOK_MAX_CONCURRENCY', 64, 1, 1000),
    maxConcurrentPerEndpoint: integer(env, 'WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT', 16, 1, 100),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR || './.data');
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const external = Boolean(env.DATABASE_URL);
  const jwtSecret = env.JWT_SECRET || (external ? '' : persistedSecret(dataDir, 'jwt-secret'));
  if (jwtSecret !== '' && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  const bootstrapApiKey = env.BOOTSTRAP_API_KEY || null;
  if (bootstrapApiKey !== null && (bootstrapApiKey.length < 24 || /\s/.test(bootstrapApiKey))) {
    throw new ConfigError('BOOTSTRAP_API_KEY', 'must be at least 24 characters long with no whitespace');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: serverUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user:password@host:port/database'),
    databaseDirectUrl:
      serverUrl(env, 'DATABASE_DIRECT_URL', ['postgres:', 'postgresql:'], 'postgres://user:password@host:port/database') ??
      serverUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user:password@host:port/database'),
    dataDir,
    jwtSecret,
    keys: keysConfig(env, dataDir),
    jwtIssuer: env.JWT_ISSUER || 'deskline',
    jwtAudience: env.JWT_AUDIENCE || 'deskline-api',
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86400),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 3600, 365 * 86400),
    bootstrapApiKey,
    logLevel,
    http: httpConfig(env),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    webhooks: webhookConfig(env, dataDir),
    channels: channelsConfig(env),
    mailSecurity: mailSecurityConfig(env),
    clock: clockMode(env),
    sla: slaConfig(env),
    rateLimits: rateLimitConfig(env),
    graphql: graphqlConfig(env),
    sessions: sessionConfig(env),
    input: inputConfig(env),
    passwords: passwordConfig(env),
    realtime: realtimeConfig(env),
    realtimePush: realtimePushConfig(env),
    observability: observabilityConfig(env),
    uploads: uploadsConfig(env, dataDir),
    timeRules: timeRulesConfig(env),
  };
}

function clockMode(env: NodeJS.ProcessEnv): ClockMode {
  const raw = env.CLOCK || 'system';
  if (raw !== 'system' && raw !== 'manual') throw new ConfigError('CLOCK', `must be system or manual, got "${raw}"`);
  return raw;
}

function slaConfig(env: NodeJS.ProcessEnv): SlaConfig {
  const enabled = env.SLA_SCHEDULER_ENABLED;
  if (enabled !== undefined && enabled !== '' && !['true', 'false', '1', '0'].includes(enabled)) {
    throw new ConfigError('SLA_SCHEDULER_ENABLED', `must be true or false, got "${enabled}"`);
  }
  return {
    schedulerEnabled: !(enabled === 'false' || enabled === '0'),
    scanIntervalMs: integer(env, 'SLA_SCAN_INTERVAL_MS', 1000, 20, 60_000),
    warningMinutes: integer(env, 'SLA_WARNING_MINUTES', 30, 0, 7 * 24 * 60),
  };
}

function channelsConfig(env: NodeJS.ProcessEnv): ChannelsConfig {
  const raw = env.MAIL_RETRY_SCHEDULE_MS;
  let mailRetryScheduleMs = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000];
  if (raw !== undefined && raw !== '') {
    const parts = raw.split(',').map((part) => part.trim());
    if (parts.length > 20 || parts.some((part) => !/^\d{1,9}$/.test(part))) {
      throw new ConfigError('MAIL_RETRY_SCHEDULE_MS', `must be a comma-separated list of at most 20 delays in milliseconds, got "${raw}"`);
    }
    mailRetryScheduleMs = parts.map(Number);
  }
  return {
    maxEmailBytes: integer(env, 'MAIL_MAX_EMAIL_BYTES', 25 * 1024 * 1024, 64 * 1024, 100 * 1024 * 1024),
    maxAttachmentBytes: integer(env, 'MAIL_MAX_ATTACHMENT_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    mailWorkerEnabled: flag(env, 'MAIL_WORKER_ENABLED', true),
    mailPollIntervalMs: integer(env, 'MAIL_POLL_INTERVAL_MS', 1000, 50, 60_000),
    mailRetryScheduleMs,
    imapPollIntervalMs: integer(env, 'IMAP_POLL_INTERVAL_MS', 60_000, 1000, 24 * 3600_000),
    imapIdleEnabled: flag(env, 'IMAP_IDLE_ENABLED', true),
    imapIdleLeaseMs: integer(env, 'IMAP_IDLE_LEASE_MS', 60_000, 1000, 3600_000),
    imapIdleMaxSessions: integer(env, 'IMAP_IDLE_MAX_SESSIONS', 100, 0, 10_000),
    portalTokenTtlSeconds: integer(env, 'PORTAL_TOKEN_TTL_SECONDS', 3600, 60, 7 * 86400),
  };
}
