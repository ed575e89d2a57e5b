import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { CustomFieldValueStore } from '../fields/field-value-store';
import { FieldsService } from '../fields/fields.service';
import { ContactsRepository } from './contacts.repository';
import { toContactView } from './contacts.service';

/** Where contacts keep their custom field values, for the fields module: counting them, removing a deleted field's. */
@Injectable()
export class ContactCustomFieldValues implements CustomFieldValueStore, OnModuleInit {
  constructor(
    private readonly fields: FieldsService,
    private readonly transactions: TransactionRunner,
    private readonly contacts: ContactsRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.fields.registerValueStore('contact', this);
  }

  countValues(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number> {
    return this.contacts.countWithCustomField(manager, workspaceId, key, values);
  }

  /** One batch in one transaction: each contact loses the key and records contact.updated. */
  removeValues(principal: Principal, key: string, limit: number): Promise<number> {
    return this.transactions.run(async (manager) => {
      const contacts = await this.contacts.lockWithCustomField(manager, principal.workspaceId, key, limit);
      for (const contact of contacts) {
        const before = contact.customFields;
        const after: Record<string, unknown> = { ...before };
        delete after[key];
        const updatedAt = this.clock.now();
        await this.contacts.update(manager, principal.workspaceId, contact.id, { customFields: after, updatedAt });
        const view = toContactView({ ...contact, customFields: after, updatedAt });
        await this.outbox.record(manager, principal, [{ type: 'contact.updated', subjectType: 'contact', subjectId: contact.id, data: { contact: view, changes: { customFields: { before, after } } } }]);
      }
      return contacts.length;
    });
  }
}
