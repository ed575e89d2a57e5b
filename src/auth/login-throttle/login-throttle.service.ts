import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { LoginThrottleConfig } from '../../config/session-config';
import { TransactionRunner } from '../../database/transaction-runner';
import { countAttempt, FailureCount, secondsToWait, ThrottleRule } from './login-throttle-policy';
import { LoginThrottled } from './login-throttled.error';
import { LoginThrottleRepository } from './login-throttle.repository';

/** A login attempt already counted as a failure, to be confirmed or taken back once the password is checked. */
export interface CountedAttempt {
  accountKey: string;
  ipKey: string;
  accountFailures: number;
  blockedUntil: Map<string, Date | null>;
}

// Slugs hold no '/', so the key cannot be read two ways.
const accountKey = (workspaceSlug: string, email: string) => `account:${workspaceSlug}/${email.toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Growing delays per account (workspace slug and email, whether or not such an agent exists, so the delays reveal
 * nothing) and per client address. State lives in PostgreSQL, so every instance sees the same counts.
 */
@Injectable()
export class LoginThrottleService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LoginThrottleService.name);
  private readonly config: LoginThrottleConfig;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly repository: LoginThrottleRepository,
  ) {
    this.config = config.sessions.login;
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.repository.deleteStale(this.transactions.manager, this.config.failureWindowSeconds).catch((error: unknown) => {
        this.logger.warn({ msg: 'Sweeping stale login counters failed', err: String(error) });
      });
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  get lockAfterFailures(): number {
    return this.config.lockAfterFailures;
  }

  get lockSeconds(): number {
    return this.config.lockSeconds;
  }

  /** Refuses with LoginThrottled while the account or the address must wait; otherwise counts the attempt. */
  async begin(workspaceSlug: string, email: string, ip: string): Promise<CountedAttempt> {
    const keys = { account: accountKey(workspaceSlug, email), ip: ipKey(ip) };
    const rules: Record<string, ThrottleRule> = {
      [keys.account]: { maxFailuresBeforeDelay: this.config.maxFailuresBeforeDelay, failureWindowSeconds: this.config.failureWindowSeconds },
      [keys.ip]: { maxFailuresBeforeDelay: this.config.ipMaxFailuresBeforeDelay, failureWindowSeconds: this.config.failureWindowSeconds },
    };
    const counted = await this.transactions.run(async (manager) => {
      const { now, counts } = await this.repository.lockCounts(manager, [keys.account, keys.ip]);
      const wait = Math.max(...[...counts.values()].map((count) => secondsToWait(count, now)));
      if (wait > 0) return wait;
      const next = new Map<string, FailureCount>();
      for (const [key, count] of counts) {
        next.set(key, countAttempt(count, rules[key], now));
        await this.repository.store(manager, key, next.get(key)!);
      }
      return next;
    });
    if (typeof counted === 'number') throw new LoginThrottled(counted);
    return {
      accountKey: keys.account,
      ipKey: keys.ip,
      accountFailures: counted.get(keys.account)!.failures,
      blockedUntil: new Map([...counted].map(([key, count]) => [key, count.blockedUntil])),
    };
  }

  /** The account's failures start again; the address keeps its others, so one good account cannot clear its guesses. */
  async succeeded(attempt: CountedAttempt): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.repository.forget(manager, attempt.accountKey);
      await this.repository.takeBack(manager, attempt.ipKey, attempt.blockedUntil.get(attempt.ipKey) ?? null);
    });
  }

  shouldLock(attempt: CountedAttempt): boolean {
    return this.config.lockAfterFailures > 0 && attempt.accountFailures >= this.config.lockAfterFailures;
  }

  /** An admin unlocking an agent also clears the delays of its account. */
  async forgetAccount(manager: EntityManager, workspaceSlug: string, email: string): Promise<void> {
    await this.repository.forget(manager, accountKey(workspaceSlug, email));
  }
}
