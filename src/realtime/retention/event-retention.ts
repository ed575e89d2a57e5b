import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EventFeedStore } from '../../events/event-feed';

const BATCH = 5000;

/** Deletes events older than EVENT_RETENTION_DAYS in batches; the feed then answers 410 to cursors from before the cut. */
@Injectable()
export class EventRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventRetention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly feed: EventFeedStore, private readonly clock: Clock) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce().catch((error: unknown) => this.logger.warn({ msg: 'Event retention run failed', error: (error as Error).message })), this.config.realtime.retentionIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Returns how many events were deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.prune().finally(() => (this.running = null));
    return this.running;
  }

  private async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.realtime.eventRetentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const deleted = await this.feed.prune(before, BATCH);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
