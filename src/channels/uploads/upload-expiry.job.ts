import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UploadsService } from './uploads.service';

/** Removes uploads no message referenced before they expired, every UPLOAD_EXPIRY_INTERVAL_MS, on every instance (SKIP LOCKED). */
@Injectable()
export class UploadExpiryJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('UploadExpiry');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly uploads: UploadsService) {}

  onApplicationBootstrap(): void {
    const interval = this.config.uploads.expiryIntervalMs;
    if (interval === 0) return;
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.uploads
      .removeExpired()
      .then((removed) => {
        if (removed > 0) this.logger.log({ msg: 'Removed expired uploads', removed });
      })
      .catch((error) => this.logger.warn({ msg: 'Upload expiry failed; the next run retries', error: (error as Error).message }))
      .finally(() => (this.running = null));
  }
}
