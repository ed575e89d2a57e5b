import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebhookDisabledReason = 'manual' | 'gone' | 'failing';

@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') url: string;
  @Column('text', { array: true }) events: string[];
  @Column('text', { nullable: true }) description: string | null;
  @Column('boolean') enabled: boolean;
  /** AES-256-GCM sealed; see signing/secret-box.ts. Never leaves the service layer. */
  @Column('text') secretCiphertext: string;
  @Column('text', { nullable: true }) previousSecretCiphertext: string | null;
  @Column('timestamptz', { nullable: true }) previousSecretExpiresAt: Date | null;
  @Column('timestamptz', { nullable: true }) failingSince: Date | null;
  @Column('text', { nullable: true }) disabledReason: WebhookDisabledReason | null;
  @Column('timestamptz', { nullable: true }) disabledAt: Date | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
