import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination/cursor';
import { pageByCreation } from '../common/pagination/keyset';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './entities/webhook-subscription.entity';

export type SubscriptionChange = Partial<Omit<WebhookSubscriptionEntity, 'workspaceId' | 'id' | 'createdAt'>>;
export type DeliveryChange = Partial<Pick<WebhookDeliveryEntity, 'status' | 'attemptCount' | 'nextAttemptAt' | 'leaseToken' | 'completedAt' | 'updatedAt'>>;

/** Subscriptions and their delivery log as the API manages them; the dispatcher's queue has its own repository. */
@Injectable()
export class WebhooksRepository {
  pageSubscriptions(manager: EntityManager, workspaceId: string, page: { limit?: number; cursor?: string }): Promise<Page<WebhookSubscriptionEntity>> {
    const query = manager.createQueryBuilder(WebhookSubscriptionEntity, 'webhook').where('webhook.workspace_id = :workspaceId', { workspaceId });
    return pageByCreation(query, 'webhook', page);
  }

  /** With `forUpdate`, the row stays locked for the rest of the transaction. */
  findSubscription(manager: EntityManager, workspaceId: string, id: string, forUpdate = false): Promise<WebhookSubscriptionEntity | null> {
    return manager.findOne(WebhookSubscriptionEntity, { where: { workspaceId, id }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async insertSubscription(manager: EntityManager, subscription: WebhookSubscriptionEntity): Promise<void> {
    await manager.insert(WebhookSubscriptionEntity, subscription);
  }

  async updateSubscription(manager: EntityManager, workspaceId: string, id: string, change: SubscriptionChange): Promise<void> {
    await manager.update(WebhookSubscriptionEntity, { workspaceId, id }, change);
  }

  /** Whether there was one to delete. */
  async deleteSubscription(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    const result = await manager.delete(WebhookSubscriptionEntity, { workspaceId, id });
    return Boolean(result.affected);
  }

  /** Subscriptions by key after `after` (workspace id, id), with their sealed secrets, for re-sealing. */
  sealedSecretsPage(manager: EntityManager, after: [string, string] | null, limit: number): Promise<Array<{ workspaceId: string; id: string; current: string; previous: string | null }>> {
    return manager.query(
      `SELECT workspace_id AS "workspaceId", id, secret_ciphertext AS current, previous_secret_ciphertext AS previous FROM webhook_subscriptions
        WHERE ($1::uuid IS NULL OR (workspace_id, id) > ($1::uuid, $2::uuid)) ORDER BY workspace_id, id LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /** Replaces a sealed secret only if it is still the one read: a secret rotated meanwhile is left as the API set it. */
  async replaceSealedSecret(manager: EntityManager, workspaceId: string, id: string, which: 'current' | 'previous', was: string, sealed: string): Promise<void> {
    const column = which === 'current' ? 'secret_ciphertext' : 'previous_secret_ciphertext';
    await manager.query(`UPDATE webhook_subscriptions SET ${column} = $4 WHERE workspace_id = $1 AND id = $2 AND ${column} = $3`, [workspaceId, id, was, sealed]);
  }

  /** Newest first. */
  pageDeliveries(
    manager: EntityManager,
    workspaceId: string,
    subscriptionId: string,
    status: WebhookDeliveryStatus | undefined,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<WebhookDeliveryEntity>> {
    const builder = manager
      .createQueryBuilder(WebhookDeliveryEntity, 'delivery')
      .where('delivery.workspace_id = :workspaceId AND delivery.subscription_id = :subscriptionId', { workspaceId, subscriptionId });
    if (status) builder.andWhere('delivery.status = :status', { status });
    return pageByCreation(builder, 'delivery', page, 'DESC');
  }

  /** A delivery due now, written straight to the queue (a ping skips the fan-out). */
  async insertPendingDelivery(manager: EntityManager, delivery: Pick<WebhookDeliveryEntity, 'workspaceId' | 'id' | 'subscriptionId' | 'eventId' | 'eventType' | 'payload' | 'createdAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO webhook_deliveries (workspace_id, id, subscription_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7)`,
      [delivery.workspaceId, delivery.id, delivery.subscriptionId, delivery.eventId, delivery.eventType, JSON.stringify(delivery.payload), delivery.createdAt],
    );
  }

  /** The delivery's row, locked for the rest of the transaction; null when absent. */
  lockDelivery(manager: EntityManager, workspaceId: string, subscriptionId: string, id: string): Promise<WebhookDeliveryEntity | null> {
    return manager.findOne(WebhookDeliveryEntity, { where: { workspaceId, subscriptionId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async updateDelivery(manager: EntityManager, workspaceId: string, id: string, change: DeliveryChange): Promise<void> {
    await manager.update(WebhookDeliveryEntity, { workspaceId, id }, change);
  }

  /** Every attempt of these deliveries, oldest first. */
  attemptsOf(manager: EntityManager, workspaceId: string, deliveryIds: readonly string[]): Promise<WebhookDeliveryAttemptEntity[]> {
    return manager
      .createQueryBuilder(WebhookDeliveryAttemptEntity, 'attempt')
      .where('attempt.workspace_id = :workspaceId AND attempt.delivery_id = ANY(:deliveryIds)', { workspaceId, deliveryIds: [...deliveryIds] })
      .orderBy('attempt.attempted_at', 'ASC')
      .getMany();
  }
}
