import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { CustomFieldValueStore } from '../fields/field-value-store';
import { FieldsService } from '../fields/fields.service';
import { TicketHistory } from './history/ticket-history';
import { TicketsRepository } from './tickets.repository';

/** Where tickets keep their custom field values, for the fields module: counting them, removing a deleted field's. */
@Injectable()
export class TicketCustomFieldValues implements CustomFieldValueStore, OnModuleInit {
  constructor(
    private readonly fields: FieldsService,
    private readonly transactions: TransactionRunner,
    private readonly repository: TicketsRepository,
    private readonly history: TicketHistory,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.fields.registerValueStore('ticket', this);
  }

  countValues(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number> {
    return this.repository.countWithCustomField(manager, workspaceId, key, values);
  }

  /** One batch in one transaction: each ticket loses the key with a new version and a ticket.updated history entry. */
  removeValues(principal: Principal, key: string, limit: number): Promise<number> {
    return this.transactions.run(async (manager) => {
      const tickets = await this.repository.lockWithCustomField(manager, principal.workspaceId, key, limit);
      for (const ticket of tickets) {
        const before = ticket.customFields;
        const after = { ...before };
        delete after[key];
        const sequence = ticket.lastEventSequence + 1;
        await this.repository.update(manager, principal.workspaceId, ticket.id, {
          customFields: after, updatedAt: this.clock.now(), version: ticket.version + 1, lastEventSequence: sequence,
        });
        const view = (await this.repository.findView(manager, principal.workspaceId, ticket.id))!;
        await this.history.record(manager, principal, view, sequence, [{ type: 'ticket.updated', changes: { customFields: { before, after } } }]);
      }
      return tickets.length;
    });
  }
}
