import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { FieldChanges } from '../../events/event-map';

export type { FieldChanges };

@Entity('ticket_events')
export class TicketEventEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') ticketId: string;
  @Column('integer') sequence: number;
  @Column('text') type: string;
  @Column('text') actorType: string;
  @Column('uuid', { nullable: true }) actorId: string | null;
  @Column('text', { nullable: true }) actorName: string | null;
  @Column('jsonb') changes: FieldChanges;
  @Column('jsonb') data: Record<string, any>;
  @Column('timestamptz') createdAt: Date;
}
