import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { CustomFieldValueStore } from '../fields/field-value-store';
import { FieldsService } from '../fields/fields.service';
import { OrganizationsRepository } from './organizations.repository';
import { toOrganizationView } from './organizations.service';

/** Where organizations keep their custom field values, for the fields module: counting them, removing a deleted field's. */
@Injectable()
export class OrganizationCustomFieldValues implements CustomFieldValueStore, OnModuleInit {
  constructor(
    private readonly fields: FieldsService,
    private readonly transactions: TransactionRunner,
    private readonly organizations: OrganizationsRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.fields.registerValueStore('organization', this);
  }

  countValues(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number> {
    return this.organizations.countWithCustomField(manager, workspaceId, key, values);
  }

  /** One batch in one transaction: each organization loses the key and records organization.updated. */
  removeValues(principal: Principal, key: string, limit: number): Promise<number> {
    return this.transactions.run(async (manager) => {
      const organizations = await this.organizations.lockWithCustomField(manager, principal.workspaceId, key, limit);
      const domains = await this.organizations.domainsOf(manager, principal.workspaceId, organizations.map((organization) => organization.id));
      for (const organization of organizations) {
        const before = organization.customFields;
        const after: Record<string, unknown> = { ...before };
        delete after[key];
        const updatedAt = this.clock.now();
        await this.organizations.update(manager, principal.workspaceId, organization.id, { customFields: after, updatedAt });
        const view = toOrganizationView({ ...organization, customFields: after, updatedAt }, domains.get(organization.id) ?? []);
        await this.outbox.record(manager, principal, [
          { type: 'organization.updated', subjectType: 'organization', subjectId: organization.id, data: { organization: view, changes: { customFields: { before, after } } } },
        ]);
      }
      return organizations.length;
    });
  }
}
