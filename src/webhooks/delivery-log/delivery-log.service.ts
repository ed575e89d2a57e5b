import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Conflict, ResourceNotFound } from '../../common/errors/domain-errors';
import { Page } from '../../common/pagination/cursor';
import { creationCursor } from '../../common/pagination/keyset';
import { TransactionRunner } from '../../database/transaction-runner';
import { EventEnvelope } from '../../events/event-catalogue';
import { wakeDispatcher } from '../dispatcher/outbox-listener';
import { WebhookDeliveryAttemptView, WebhookDeliveryView } from '../dto/webhook-delivery.dto';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { WebhooksRepository } from '../webhooks.repository';
import { WebhookSubscriptionEntity } from '../entities/webhook-subscription.entity';

const MAX_ATTEMPTS_SHOWN = 50;

/** The log lists newest first; deliveryCursor resumes it right after a delivery (GraphQL edges). */
const DELIVERIES_ORDER = 'DESC';
export const deliveryCursor = (delivery: { id: string; createdAt: Date }): string => creationCursor(delivery, DELIVERIES_ORDER);

function toView(delivery: WebhookDeliveryEntity, attempts: WebhookDeliveryAttemptView[]): WebhookDeliveryView {
  return {
    id: delivery.id,
    webhookId: delivery.subscriptionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    nextAttemptAt: delivery.nextAttemptAt,
    attempts,
    payload: delivery.payload,
    createdAt: delivery.createdAt,
    completedAt: delivery.completedAt,
  };
}

/** The delivery log of one webhook, plus the two ways to send on demand: a ping and a redelivery. */
@Injectable()
export class DeliveryLogService {
  constructor(private readonly transactions: TransactionRunner, private readonly webhooks: WebhooksRepository) {}

  async list(principal: Principal, webhookId: string, query: { limit?: number; cursor?: string; status?: WebhookDeliveryStatus }): Promise<Page<WebhookDeliveryView>> {
    await this.subscription(this.transactions.manager, principal, webhookId);
    const page = await this.webhooks.pageDeliveries(this.transactions.manager, principal.workspaceId, webhookId, query.status, query);
    const attempts = await this.attemptsOf(principal, page.data.map((delivery) => delivery.id));
    return { data: page.data.map((delivery) => toView(delivery, attempts.get(delivery.id) ?? [])), nextCursor: page.nextCursor };
  }

  /** Sends a `webhook.ping` to this endpoint only, even while it is disabled, to check it before enabling it. */
  async sendPing(principal: Principal, webhookId: string): Promise<WebhookDeliveryView> {
    return this.transactions.run(async (manager) => {
      const subscription = await this.subscription(manager, principal, webhookId);
      const now = new Date();
      const eventId = randomUUID();
      const envelope: EventEnvelope<'webhook.ping'> = {
        id: eventId,
        type: 'webhook.ping',
        version: 1,
        createdAt: now.toISOString(),
        workspaceId: principal.workspaceId,
        data: { webhook: { id: subscription.id, url: subscription.url }, actor: principal.actor },
      };
      const delivery: WebhookDeliveryEntity = {
        workspaceId: principal.workspaceId, id: randomUUID(), subscriptionId: webhookId, eventId, eventType: envelope.type, payload: { ...envelope },
        status: 'pending', attemptCount: 0, nextAttemptAt: now, leaseToken: null, createdAt: now, updatedAt: now, completedAt: null,
      };
      await this.webhooks.insertPendingDelivery(manager, delivery);
      await wakeDispatcher(manager, principal.workspaceId);
      return toView(delivery, []);
    });
  }

  /** Sends a delivery again with a fresh retry schedule; the webhook-id stays the same so consumers can deduplicate. */
  async redeliver(principal: Principal, webhookId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    return this.transactions.run(async (manager) => {
      const subscription = await this.subscription(manager, principal, webhookId);
      if (!subscription.enabled) {
        throw new Conflict('This webhook is disabled, so its deliveries are paused. Enable it first (PATCH enabled=true).', 'webhook_disabled');
      }
      const delivery = await this.webhooks.lockDelivery(manager, principal.workspaceId, webhookId, deliveryId);
      if (!delivery) throw new ResourceNotFound('webhook delivery', deliveryId);
      const now = new Date();
      const inFlight = delivery.status === 'pending' && delivery.leaseToken !== null && delivery.nextAttemptAt !== null && delivery.nextAttemptAt > now;
      if (!inFlight) {
        Object.assign(delivery, { status: 'pending', attemptCount: 0, nextAttemptAt: now, leaseToken: null, completedAt: null, updatedAt: now });
        await this.webhooks.updateDelivery(manager, principal.workspaceId, deliveryId, {
          status: 'pending', attemptCount: 0, nextAttemptAt: now, leaseToken: null, completedAt: null, updatedAt: now,
        });
        await wakeDispatcher(manager, principal.workspaceId);
      }
      return toView(delivery, (await this.attemptsOf(principal, [deliveryId])).get(deliveryId) ?? []);
    });
  }

  private async subscription(manager: EntityManager, principal: Principal, webhookId: string): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.webhooks.findSubscription(manager, principal.workspaceId, webhookId);
    if (!subscription) throw new ResourceNotFound('webhook', webhookId);
    return subscription;
  }

  private async attemptsOf(principal: Principal, deliveryIds: string[]): Promise<Map<string, WebhookDeliveryAttemptView[]>> {
    const byDelivery = new Map<string, WebhookDeliveryAttemptView[]>();
    if (deliveryIds.length === 0) return byDelivery;
    const rows = await this.webhooks.attemptsOf(this.transactions.manager, principal.workspaceId, deliveryIds);
    for (const row of rows) {
      const list = byDelivery.get(row.deliveryId) ?? [];
      list.push({ attemptedAt: row.attemptedAt, statusCode: row.statusCode, durationMs: row.durationMs, responseExcerpt: row.responseExcerpt, error: row.error });
      byDelivery.set(row.deliveryId, list);
    }
    for (const [id, list] of byDelivery) byDelivery.set(id, list.slice(-MAX_ATTEMPTS_SHOWN));
    return byDelivery;
  }
}
