import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AutoCloser } from './auto-closer';
import { BreachScanner } from './breach-scanner';

const INTERVAL_NAME = 'sla-scan';

/**
 * Runs the breach/warning scan and auto-close every SLA_SCAN_INTERVAL_MS on every instance that enables it; the
 * scans themselves make concurrent instances safe. A tick never overlaps the previous one in this instance.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SlaScheduler');
  private running: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly scanner: BreachScanner,
    private readonly autoCloser: AutoCloser,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.sla.schedulerEnabled) return;
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => void this.tick(), this.config.sla.scanIntervalMs));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  /** One scan now; also what tests call instead of waiting for the interval. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.runOnce().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async runOnce(): Promise<void> {
    try {
      await this.scanner.scan();
      await this.autoCloser.closeDue();
    } catch (error) {
      this.logger.error(`SLA scan failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
