import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MessageVisibility = 'public' | 'internal';
export type AuthorType = 'agent' | 'contact' | 'system';

@Entity('ticket_messages')
export class TicketMessageEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') ticketId: string;
  @Column('integer') sequence: number;
  @Column('text') body: string;
  @Column('text', { nullable: true }) html: string | null;
  @Column('text') visibility: MessageVisibility;
  @Column('text') authorType: AuthorType;
  @Column('uuid', { nullable: true }) authorId: string | null;
  @Column('text', { nullable: true }) authorName: string | null;
  @Column('timestamptz') createdAt: Date;
  /** Set on the copies a merge made on the target: the ticket (and its number) the message was merged from. */
  @Column('uuid', { nullable: true }) mergedFromTicketId: string | null;
  @Column('bigint', { nullable: true }) mergedFromNumber: string | null;
}
