import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TicketChannel, TicketPriority, TicketStatus, TicketType } from '../ticket-lifecycle';

@Entity('tickets')
export class TicketEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('bigint') number: string;
  @Column('text') subject: string;
  @Column('text') status: TicketStatus;
  @Column('text') priority: TicketPriority;
  @Column({ type: 'smallint', insert: false, update: false }) priorityRank: number;
  @Column('text', { nullable: true }) type: TicketType | null;
  @Column('text', { array: true }) tags: string[];
  @Column('text') channel: TicketChannel;
  @Column('uuid') requesterId: string;
  @Column('uuid', { nullable: true }) assigneeId: string | null;
  @Column('uuid', { nullable: true }) teamId: string | null;
  @Column('uuid', { nullable: true }) organizationId: string | null;
  @Column('uuid', { nullable: true }) followUpOfId: string | null;
  @Column('uuid', { nullable: true }) mergedIntoId: string | null;
  // TypeORM's partial-entity typing cannot express unknown JSON values, hence any.
  @Column('jsonb') customFields: Record<string, any>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('timestamptz', { nullable: true }) firstRespondedAt: Date | null;
  @Column('timestamptz', { nullable: true }) resolvedAt: Date | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
  @Column('integer') version: number;
  @Column('integer') lastMessageSequence: number;
  @Column('integer') lastEventSequence: number;
  // Maintained by the SLA clocks ('infinity' when none runs); only the queue sort and filter read it.
  @Column({ type: 'timestamptz', precision: 3, default: () => "'infinity'", select: false, insert: false, update: false }) slaNextDueAt: Date;
}
