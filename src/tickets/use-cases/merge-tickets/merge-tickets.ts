import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../../auth/principal';
import { Clock } from '../../../common/clock';
import { Conflict, ResourceNotFound, TicketClosed, ValidationFailed } from '../../../common/errors/domain-errors';
import { TransactionRunner } from '../../../database/transaction-runner';
import { MessageWriter } from '../../conversation/message-writer';
import { TicketMessagesRepository } from '../../conversation/ticket-messages.repository';
import { MergeTicketsInput, TicketView } from '../../dto/ticket.dto';
import { TicketEntity } from '../../entities/ticket.entity';
import { TicketMessageEntity } from '../../entities/ticket-message.entity';
import { TicketChange, TicketHistory } from '../../history/ticket-history';
import { TicketParticipantsRepository } from '../../participants/ticket-participants.repository';
import { TicketsRepository } from '../../tickets.repository';
import { ChangeTicket } from '../change-ticket/change-ticket';
import { planMergedMessages, sourceNote, targetNote } from './plan-merge';

/**
 * Merges source tickets into a target, in one transaction: each source is closed with mergedIntoId and an internal note
 * linking the target; the target gets copies of the sources' messages (marked with the ticket they came from), their
 * requesters as CCs, an internal note and one ticket.merged event. Email replies to a source thread into the target.
 */
@Injectable()
export class MergeTickets {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly writer: MessageWriter,
    private readonly participants: TicketParticipantsRepository,
    private readonly history: TicketHistory,
    private readonly changeTicket: ChangeTicket,
    private readonly clock: Clock,
  ) {}

  async execute(principal: Principal, targetId: string, input: MergeTicketsInput): Promise<TicketView> {
    const sourceIds = [...new Set(input.sourceIds)];
    if (sourceIds.length !== input.sourceIds.length) throw ValidationFailed.field('sourceIds', 'names a ticket more than once');
    if (sourceIds.includes(targetId)) throw ValidationFailed.field('sourceIds', 'cannot include the target ticket: a ticket is not merged into itself');
    return this.transactions.run(async (manager) => {
      const { target, sources } = await this.lockAll(manager, principal, targetId, sourceIds);
      this.check(target, sources);
      // Read before the sources get their merge notes, which stay on the sources only.
      const copies = planMergedMessages(target, sources, await this.messages.allOf(manager, principal.workspaceId, sources.map((source) => source.id)));
      for (const source of sources) await this.closeSource(manager, principal, source, target, input.comment);
      return this.fillTarget(manager, principal, target, sources, copies, input.comment);
    });
  }

  /** Locks every ticket involved in id order, so two merges over the same tickets queue instead of deadlocking. */
  private async lockAll(manager: EntityManager, principal: Principal, targetId: string, sourceIds: string[]) {
    const locked = new Map<string, TicketEntity>();
    for (const id of [targetId, ...sourceIds].sort()) {
      const ticket = await this.repository.lock(manager, principal.workspaceId, id);
      if (ticket) locked.set(id, ticket);
    }
    const target = locked.get(targetId);
    if (!target) throw new ResourceNotFound('ticket', targetId);
    const missing = sourceIds.filter((id) => !locked.has(id));
    if (missing.length) throw ValidationFailed.field('sourceIds', `names tickets that do not exist in this workspace: ${missing.join(', ')}`);
    return { target, sources: sourceIds.map((id) => locked.get(id)!) };
  }

  /** The check step: every refusal before the first write. */
  private check(target: TicketEntity, sources: TicketEntity[]): void {
    if (target.status === 'closed') throw new TicketClosed(Number(target.number));
    const merged = sources.find((source) => source.mergedIntoId);
    if (merged) throw new Conflict(`Ticket #${merged.number} was already merged into another ticket.`, 'already_merged', { ticketId: merged.id });
    const closed = sources.find((source) => source.status === 'closed');
    if (closed) throw new Conflict(`Ticket #${closed.number} is closed; a closed ticket cannot be merged.`, 'ticket_closed', { ticketId: closed.id });
  }

  private async closeSource(manager: EntityManager, principal: Principal, source: TicketEntity, target: TicketEntity, comment: string | undefined): Promise<void> {
    await this.repository.update(manager, principal.workspaceId, source.id, { mergedIntoId: target.id });
    await this.changeTicket.execute(manager, principal, source.id, {
      status: 'closed',
      messages: [{ body: sourceNote(target, comment), visibility: 'internal' }],
    }, { reason: 'manual' });
  }

  private async fillTarget(
    manager: EntityManager, principal: Principal, target: TicketEntity, sources: TicketEntity[], copies: TicketMessageEntity[], comment: string | undefined,
  ): Promise<TicketView> {
    const now = this.clock.now();
    await this.messages.insertAll(manager, copies);
    const noteSequence = target.lastMessageSequence + copies.length + 1;
    const note = await this.writer.insert(manager, principal.workspaceId, target.id, noteSequence, { body: targetNote(sources, comment), visibility: 'internal' },
      principal.agentId ? { type: 'agent', id: principal.agentId, name: principal.actor.name } : { type: 'system', id: principal.actor.id, name: principal.actor.name }, now);
    // The sources' requesters (and their CCs) stay in the conversation as CCs of the target.
    const copied = [...sources.map((source) => source.requesterId)];
    for (const source of sources) copied.push(...(await this.participants.ccIds(manager, principal.workspaceId, source.id)));
    await this.participants.addCcs(manager, principal.workspaceId, target.id, copied.filter((id) => id !== target.requesterId));

    const events: TicketChange[] = [
      { type: 'ticket.merged', data: { sources: sources.map((source) => ({ id: source.id, number: Number(source.number) })), ...(comment ? { comment } : {}) } },
      { type: 'ticket.message_created', data: { message: note } },
    ];
    await this.repository.update(manager, principal.workspaceId, target.id, {
      updatedAt: now,
      version: target.version + 1,
      lastMessageSequence: noteSequence,
      lastEventSequence: target.lastEventSequence + events.length,
    });
    const view = (await this.repository.findView(manager, principal.workspaceId, target.id))!;
    const rewritten = await this.history.record(manager, principal, view, target.lastEventSequence + 1, events);
    return rewritten ? (await this.repository.findView(manager, principal.workspaceId, target.id))! : view;
  }
}
