import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DeliveryAttempts } from '../delivery/delivery-attempts';
import { ClaimedDelivery, DeliveryQueueRepository } from '../delivery/delivery-queue.repository';
import { EndpointClient } from '../delivery/endpoint-client';
import { FanOutRepository } from '../fan-out/fan-out.repository';
import { OutboxListener } from './outbox-listener';

const FAN_OUT_BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs the two steps of delivery in this instance: fan-out of committed events into deliveries, then attempts of
 * due deliveries, within the configured concurrency. Woken by NOTIFY within moments of a commit, and by a poll
 * that catches what a notification cannot: retries coming due, a lost connection, work left by a stopped instance.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookDispatcher');
  private listener: OutboxListener | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly dirtyWorkspaces = new Set<string>();
  private pollRequested = false;
  private cycle: Promise<void> | null = null;
  private runAgain = false;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Attempts running in this instance per subscription, to keep each endpoint within its share. */
  private readonly busyEndpoints = new Map<string, number>();
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly fanOut: FanOutRepository,
    private readonly queue: DeliveryQueueRepository,
    private readonly attempts: DeliveryAttempts,
    private readonly client: EndpointClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.webhooks.dispatcherEnabled) return;
    const databaseUrl = (this.dataSource.options as PostgresConnectionOptions).url!;
    this.listener = new OutboxListener(databaseUrl, (workspaceId) => this.wake(workspaceId), () => this.poll());
    await this.listener.start();
    this.pollTimer = setInterval(() => this.poll(), this.config.webhooks.pollIntervalMs);
    this.pollTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.listener?.stop();
    // Attempts still running give their deliveries back rather than hold them until their lease runs out.
    this.shutdown.abort();
    await this.cycle;
    await Promise.all([...this.inFlight]);
    this.client.close();
  }

  wake(workspaceId: string): void {
    if (!UUID.test(workspaceId)) return;
    this.dirtyWorkspaces.add(workspaceId.toLowerCase());
    this.kick();
  }

  poll(): void {
    this.pollRequested = true;
    this.kick();
  }

  /** Resolves once no fan-out or claim is running; attempts may still be. For tests and benchmarks. */
  async idle(): Promise<void> {
    while (this.cycle) await this.cycle;
  }

  private kick(): void {
    if (this.stopping) return;
    if (this.cycle) {
      this.runAgain = true;
      return;
    }
    this.cycle = this.runCycles().finally(() => (this.cycle = null));
  }

  private async runCycles(): Promise<void> {
    do {
      this.runAgain = false;
      try {
        await this.fanOutDirtyWorkspaces();
        await this.claimDueDeliveries();
      } catch (error) {
        if (!this.stopping) this.logger.warn({ msg: 'Webhook dispatch cycle failed; the next wake-up or poll retries', error: (error as Error).message });
      }
    } while (this.runAgain && !this.stopping);
  }

  private async fanOutDirtyWorkspaces(): Promise<void> {
    if (this.pollRequested) {
      this.pollRequested = false;
      for (const workspaceId of await this.fanOut.workspacesWithBacklog()) this.dirtyWorkspaces.add(workspaceId);
    }
    for (const workspaceId of [...this.dirtyWorkspaces]) {
      this.dirtyWorkspaces.delete(workspaceId);
      let result;
      do {
        result = await this.fanOut.fanOut(workspaceId, FAN_OUT_BATCH);
      } while (result.claimed && result.events === FAN_OUT_BATCH && !this.stopping);
    }
  }

  private async claimDueDeliveries(): Promise<void> {
    const { maxConcurrentDeliveries, maxConcurrentPerEndpoint, timeoutMs } = this.config.webhooks;
    const free = maxConcurrentDeliveries - this.inFlight.size;
    if (free <= 0 || this.stopping) return;
    // Long enough for the request and its bookkeeping; after it, another instance may take the delivery over.
    const leaseMs = 2 * timeoutMs + 10_000;
    const claimed = await this.queue.claim(free, maxConcurrentPerEndpoint, this.busyEndpoints, leaseMs);
    for (const delivery of claimed) this.start(delivery);
  }

  private start(delivery: ClaimedDelivery): void {
    this.busyEndpoints.set(delivery.subscriptionId, (this.busyEndpoints.get(delivery.subscriptionId) ?? 0) + 1);
    const attempt: Promise<void> = this.attempts
      .run(delivery, this.shutdown.signal)
      .catch((error) => this.logger.error({ msg: 'Webhook attempt could not be recorded; its lease will expire and it is retried', deliveryId: delivery.id, error: (error as Error).message }))
      .finally(() => {
        this.inFlight.delete(attempt);
        const busy = (this.busyEndpoints.get(delivery.subscriptionId) ?? 1) - 1;
        if (busy > 0) this.busyEndpoints.set(delivery.subscriptionId, busy);
        else this.busyEndpoints.delete(delivery.subscriptionId);
        this.kick();
      });
    this.inFlight.add(attempt);
  }
}
