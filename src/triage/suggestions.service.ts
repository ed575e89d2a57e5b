import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { TransactionRunner } from '../database/transaction-runner';
import { TeamsService } from '../teams/teams.service';
import { TicketReadModel } from '../tickets/queries/ticket-read-model.queries';
import { TicketsService } from '../tickets/tickets.service';
import { TicketSuggestionsView } from './dto/ticket-suggestions.dto';
import { LabelledTicket, TriageModel } from './text-classifier';

const MAX_TRAINING_TICKETS = 5000;

export const MINIMUM_HISTORY = 20;
const MAX_CACHED_WORKSPACES = 500;
const round = (confidence: number) => Math.round(confidence * 1000) / 1000;

/**
 * Triage suggestions from a per-workspace model kept in memory and rebuilt from the database whenever the
 * resolved history changed since it was trained, so every instance converges on the same model without a job.
 */
@Injectable()
export class SuggestionsService {
  private readonly models = new Map<string, { version: string; model: TriageModel }>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ticketReads: TicketReadModel,
    private readonly tickets: TicketsService,
    private readonly teams: TeamsService,
  ) {}

  async forTicket(principal: Principal, ticketId: string): Promise<TicketSuggestionsView> {
    const ticket = await this.tickets.get(principal, ticketId);
    const body = await this.ticketReads.firstMessageBody(this.transactions.manager, principal.workspaceId, ticket.id);
    return this.forText(principal, `${ticket.subject}\n${body}`);
  }

  async forText(principal: Principal, text: string): Promise<TicketSuggestionsView> {
    const model = await this.model(principal);
    if (model.trainedOn < MINIMUM_HISTORY) {
      return {
        enoughHistory: false, trainedOn: model.trainedOn, minimumHistory: MINIMUM_HISTORY,
        message: `Not enough history: suggestions start after ${MINIMUM_HISTORY} resolved tickets (this workspace has ${model.trainedOn}).`,
        type: null, priority: null, team: null, tags: [],
      };
    }
    const predicted = model.predict(text);
    const team = predicted.teamId ? (await this.teams.findByIds(principal, [predicted.teamId.label])).get(predicted.teamId.label) : undefined;
    return {
      enoughHistory: true, trainedOn: model.trainedOn, minimumHistory: MINIMUM_HISTORY, message: null,
      type: predicted.type ? { value: predicted.type.label, confidence: round(predicted.type.confidence) } : null,
      priority: predicted.priority ? { value: predicted.priority.label, confidence: round(predicted.priority.confidence) } : null,
      team: team && predicted.teamId ? { value: { id: team.id, name: team.name }, confidence: round(predicted.teamId.confidence) } : null,
      tags: predicted.tags.map((tag) => ({ value: tag.label, confidence: round(tag.confidence) })),
    };
  }

  private async model(principal: Principal): Promise<TriageModel> {
    const manager = this.transactions.manager;
    const version = await this.ticketReads.resolvedHistoryVersion(manager, principal.workspaceId);
    const cached = this.models.get(principal.workspaceId);
    if (cached?.version === version) return cached.model;
    const model = TriageModel.train(await this.labelledHistory(manager, principal.workspaceId));
    this.models.delete(principal.workspaceId);
    if (this.models.size >= MAX_CACHED_WORKSPACES) this.models.delete(this.models.keys().next().value!);
    this.models.set(principal.workspaceId, { version, model });
    return model;
  }

  /** The workspace's resolved history as training examples: subject and first message, with the labels agents left. */
  private async labelledHistory(manager: EntityManager, workspaceId: string): Promise<LabelledTicket[]> {
    const tickets = await this.ticketReads.recentlyResolved(manager, workspaceId, MAX_TRAINING_TICKETS);
    return tickets.map((ticket) => ({ text: `${ticket.subject}\n${ticket.firstMessage ?? ''}`, type: ticket.type, priority: ticket.priority, teamId: ticket.teamId, tags: ticket.tags }));
  }
}
