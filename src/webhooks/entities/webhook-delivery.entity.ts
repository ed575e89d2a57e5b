import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') subscriptionId: string;
  /** The envelope id, sent as `webhook-id`: the same on every retry so consumers can deduplicate. */
  @Column('uuid') eventId: string;
  @Column('text') eventType: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('text') status: WebhookDeliveryStatus;
  /** Attempts since creation or the last redelivery; indexes the retry schedule. */
  @Column('integer') attemptCount: number;
  /** When pending: the next attempt, or while an attempt runs, when its lease runs out. */
  @Column('timestamptz', { nullable: true }) nextAttemptAt: Date | null;
  @Column('uuid', { nullable: true }) leaseToken: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('timestamptz', { nullable: true }) completedAt: Date | null;
}
