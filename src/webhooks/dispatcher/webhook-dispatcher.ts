import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sessionUrl } from '../../database/session-url';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DeliveryAttempts } from '../delivery/delivery-attempts';
import { ClaimedDelivery, DeliveryQueueRepository } from '../delivery/delivery-queue.repository';
import { EndpointClient } from '../delivery/endpoint-client';
import { FanOut } from '../fan-out/fan-out';
import { OutboxListener } from './outbox-listener';
import { isUuid } from '../../common/ids';

const FAN_OUT_BATCH = 500;
// Deliveries claimed ahead of free slots, so one claim feeds several rounds: per instance slot, and per endpoint slot.
const HELD_PER_SLOT = 2;
const HELD_PER_ENDPOINT_SLOT = 4;

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
  private claimWanted = true;
  private cycle: Promise<void> | null = null;
  private runAgain = false;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly recording = new Set<Promise<void>>();
  /** Claimed deliveries waiting for a free slot of their endpoint, per subscription. */
  private readonly waiting = new Map<string, ClaimedDelivery[]>();
  private waitingTotal = 0;
  /** Deliveries this instance holds a lease on (waiting or being sent), per subscription and in all. */
  private readonly held = new Map<string, number>();
  private heldTotal = 0;
  /** Attempts in flight per subscription, kept within WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT. */
  private readonly sending = new Map<string, number>();
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly fanOut: FanOut,
    private readonly queue: DeliveryQueueRepository,
    private readonly attempts: DeliveryAttempts,
    private readonly client: EndpointClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.webhooks.dispatcherEnabled) return;
    const databaseUrl = sessionUrl(this.dataSource);
    this.listener = new OutboxListener(databaseUrl, (workspaceId) => this.wake(workspaceId), () => this.poll());
    await this.listener.start();
    this.pollTimer = setInterval(() => this.poll(), this.config.webhooks.pollIntervalMs);
    this.pollTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.listener?.stop();
    // Attempts still running, and deliveries not started, are given back rather than held until their lease runs out.
    this.shutdown.abort();
    await this.cycle;
    for (const queue of this.waiting.values()) for (const delivery of queue.splice(0)) this.start(delivery);
    this.waiting.clear();
    await Promise.all([...this.inFlight]);
    await Promise.all([...this.recording]);
    this.client.close();
  }

  wake(workspaceId: string): void {
    if (!isUuid(workspaceId)) return;
    this.dirtyWorkspaces.add(workspaceId.toLowerCase());
    this.claimWanted = true;
    this.kick();
  }

  poll(): void {
    this.pollRequested = true;
    this.claimWanted = true;
    this.kick();
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
    const room = HELD_PER_SLOT * maxConcurrentDeliveries - this.heldTotal;
    if (this.stopping || room <= 0 || !this.claimWanted) return;
    this.claimWanted = false;
    // A claimed delivery may wait behind a few full rounds of its endpoint's attempts: the lease covers that.
    const leaseMs = (HELD_PER_ENDPOINT_SLOT + 1) * timeoutMs + 10_000;
    const claimed = await this.queue.claim(room, HELD_PER_ENDPOINT_SLOT * maxConcurrentPerEndpoint, this.held, leaseMs);
    for (const delivery of claimed) {
      this.adjust(this.held, delivery.subscriptionId, 1);
      this.heldTotal += 1;
      this.waiting.set(delivery.subscriptionId, [...(this.waiting.get(delivery.subscriptionId) ?? []), delivery]);
      this.waitingTotal += 1;
    }
    if (claimed.length === room) this.claimWanted = true;
    this.startWaiting();
  }

  /** Starts waiting deliveries while their endpoint and the instance have free slots. */
  private startWaiting(): void {
    const { maxConcurrentDeliveries, maxConcurrentPerEndpoint } = this.config.webhooks;
    for (const [subscriptionId, queue] of this.waiting) {
      while (queue.length && this.inFlight.size < maxConcurrentDeliveries && (this.sending.get(subscriptionId) ?? 0) < maxConcurrentPerEndpoint) {
        this.waitingTotal -= 1;
        this.start(queue.shift()!);
      }
      if (!queue.length) this.waiting.delete(subscriptionId);
    }
  }

  private start(delivery: ClaimedDelivery): void {
    if (this.stopping) {
      this.track(this.queue.release(delivery), delivery);
      this.settled(delivery);
      return;
    }
    this.adjust(this.sending, delivery.subscriptionId, 1);
    // The slot frees as soon as the endpoint has answered; recording the answer goes on beside the next attempts.
    const attempt: Promise<void> = this.attempts
      .send(delivery, this.shutdown.signal)
      .then(({ recorded }) => this.track(recorded, delivery), (error) => this.lost(error, delivery))
      .finally(() => {
        this.inFlight.delete(attempt);
        this.adjust(this.sending, delivery.subscriptionId, -1);
        this.settled(delivery);
        this.startWaiting();
        // Claims are the costly statement: claim again for this endpoint only once less than a round is waiting.
        if ((this.waiting.get(delivery.subscriptionId)?.length ?? 0) < this.config.webhooks.maxConcurrentPerEndpoint) {
          this.claimWanted = true;
          this.kick();
        }
      });
    this.inFlight.add(attempt);
  }

  private settled(delivery: ClaimedDelivery): void {
    this.adjust(this.held, delivery.subscriptionId, -1);
    this.heldTotal -= 1;
  }

  private track(recorded: Promise<void>, delivery: ClaimedDelivery): void {
    const recording: Promise<void> = recorded.catch((error) => this.lost(error, delivery)).finally(() => this.recording.delete(recording));
    this.recording.add(recording);
  }

  private lost(error: unknown, delivery: ClaimedDelivery): void {
    this.logger.error({ msg: 'Webhook attempt could not be recorded; its lease will expire and it is retried', deliveryId: delivery.id, error: (error as Error).message });
  }

  private adjust(counts: Map<string, number>, subscriptionId: string, by: number): void {
    const count = (counts.get(subscriptionId) ?? 0) + by;
    if (count > 0) counts.set(subscriptionId, count);
    else counts.delete(subscriptionId);
  }
}
