import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TimeRulePass, TimeRuleRunner } from './time-rule-runner';

const INTERVAL_NAME = 'time-rules';

/**
 * Runs the time rules every TIME_RULES_INTERVAL_MS (a minute by default) on every instance that enables it; the
 * firing rows keep concurrent instances exactly-once. A pass never overlaps the previous one in this instance.
 */
@Injectable()
export class TimeRuleScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TimeRuleScheduler');
  private running: Promise<TimeRulePass | null> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly runner: TimeRuleRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.timeRules.schedulerEnabled) return;
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => void this.tick(), this.config.timeRules.intervalMs));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  /** One pass now (joining one already running); also what tests call instead of waiting for the interval. */
  tick(): Promise<TimeRulePass | null> {
    if (!this.running) {
      this.running = this.runOnce().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async runOnce(): Promise<TimeRulePass | null> {
    try {
      return await this.runner.runOnce();
    } catch (error) {
      this.logger.error(`time rules pass failed: ${(error as Error).message}`, (error as Error).stack);
      return null;
    }
  }
}
