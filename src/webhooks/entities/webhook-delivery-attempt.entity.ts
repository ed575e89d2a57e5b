import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') deliveryId: string;
  @Column('timestamptz') attemptedAt: Date;
  @Column('integer', { nullable: true }) statusCode: number | null;
  @Column('integer') durationMs: number;
  @Column('text', { nullable: true }) responseExcerpt: string | null;
  @Column('text', { nullable: true }) error: string | null;
}
