import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { Conflict, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { foreignKeyViolation, uniqueViolation } from '../common/errors/postgres-errors';
import { Page } from '../common/pagination/cursor';
import { creationCursor } from '../common/pagination/keyset';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { CreateOrganizationInput, OrganizationView, UpdateOrganizationInput } from './dto/organization.dto';
import { OrganizationEntity } from './entities/organization.entity';
import { FieldsService } from '../fields/fields.service';
import { OrganizationsRepository } from './organizations.repository';

export interface OrganizationListOptions {
  limit?: number;
  cursor?: string;
  externalId?: string;
  domain?: string;
  q?: string;
}

/**
 * Detaches an organization's members before it is deleted, in the delete's transaction; answers how many there were.
 * The contacts module registers it (it owns the contacts' organizationId and sits above this module).
 */
export interface OrganizationMembers {
  count(manager: EntityManager, principal: Principal, organizationId: string): Promise<number>;
  detachAll(manager: EntityManager, principal: Principal, organizationId: string): Promise<number>;
}

const UNIQUE_FIELDS: Record<string, 'name' | 'externalId' | 'domains'> = {
  organizations_workspace_name_key: 'name',
  organizations_workspace_external_id_key: 'externalId',
  organization_domains_pkey: 'domains',
};

function duplicateOf(error: unknown): Conflict | null {
  const constraint = uniqueViolation(error);
  if (!constraint) return null;
  const field = UNIQUE_FIELDS[constraint] ?? 'name';
  const what = field === 'domains' ? 'one of these domains' : `this ${field}`;
  return new Conflict(`Another organization in this workspace already has ${what}.`, 'duplicate', { field });
}

export const normaliseDomains = (domains: readonly string[]): string[] => [...new Set(domains.map((domain) => domain.trim().toLowerCase().replace(/\.$/, '')))].sort();
const normaliseTags = (tags: readonly string[]): string[] => [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];

/** The domain part of an email address, lower-cased; null for something that is not one. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at < 0 || at === email.length - 1 ? null : email.slice(at + 1).toLowerCase();
}

// jsonb does not keep key order, so JSON values are compared by content.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function toOrganizationView(organization: OrganizationEntity, domains: string[]): OrganizationView {
  return {
    id: organization.id,
    name: organization.name,
    domains,
    externalId: organization.externalId,
    notes: organization.notes,
    tags: organization.tags,
    customFields: organization.customFields,
    createdAt: organization.createdAt,
    updatedAt: organization.updatedAt,
  };
}

export const organizationCursor = (organization: { id: string; createdAt: Date }): string => creationCursor(organization);

const EDITABLE = ['name', 'domains', 'externalId', 'notes', 'tags', 'customFields'] as const;

@Injectable()
export class OrganizationsService {
  private members: OrganizationMembers | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly organizations: OrganizationsRepository,
    private readonly fields: FieldsService,
  ) {}

  /** For the contacts module: lets delete count and detach members without this module depending on contacts. */
  useMembers(members: OrganizationMembers): void {
    this.members = members;
  }

  async list(principal: Principal, options: OrganizationListOptions): Promise<Page<OrganizationView>> {
    const filter = { externalId: options.externalId, namePrefix: options.q, domain: options.domain?.trim().toLowerCase() };
    const manager = this.transactions.manager;
    const page = await this.organizations.page(manager, principal.workspaceId, filter, options);
    const domains = await this.organizations.domainsOf(manager, principal.workspaceId, page.data.map((organization) => organization.id));
    return { data: page.data.map((organization) => toOrganizationView(organization, domains.get(organization.id) ?? [])), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<OrganizationView> {
    const manager = this.transactions.manager;
    const organization = await this.organizations.find(manager, principal.workspaceId, id);
    if (!organization) throw new ResourceNotFound('organization', id);
    return toOrganizationView(organization, (await this.organizations.domainsOf(manager, principal.workspaceId, [id])).get(id) ?? []);
  }

  /** Batch lookup for GraphQL loaders; ids of other workspaces are simply absent. */
  async findByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, OrganizationView>> {
    if (ids.length === 0) return new Map();
    const manager = this.transactions.manager;
    const organizations = await this.organizations.findByIds(manager, principal.workspaceId, ids);
    const domains = await this.organizations.domainsOf(manager, principal.workspaceId, organizations.map((organization) => organization.id));
    return new Map(organizations.map((organization) => [organization.id, toOrganizationView(organization, domains.get(organization.id) ?? [])]));
  }

  /** For other modules' inputs that name an organization (a contact's or ticket's organizationId): a missing one is the caller's invalid field. */
  async assertExists(principal: Principal, id: string, field = 'organizationId'): Promise<void> {
    if (!isUUID(id)) throw ValidationFailed.field(field, 'must be a UUID');
    const exists = await this.organizations.exists(this.transactions.manager, principal.workspaceId, id);
    if (!exists) throw ValidationFailed.field(field, `no organization with id ${id} exists in this workspace`);
  }

  /** The organization whose domains include this email's domain, for a new contact to join; null when none. */
  async organizationIdForEmail(principal: Principal, email: string | null | undefined): Promise<string | null> {
    const domain = email ? emailDomain(email) : null;
    if (!domain) return null;
    return this.organizations.organizationIdForDomain(this.transactions.manager, principal.workspaceId, domain);
  }

  async create(principal: Principal, input: CreateOrganizationInput): Promise<OrganizationView> {
    const domains = normaliseDomains(input.domains ?? []);
    const customFields = input.customFields ?? {};
    await this.fields.validate(principal.workspaceId, 'organization', customFields);
    try {
      return await this.transactions.run(async (manager) => {
        await this.assertDomainsFree(manager, principal, null, domains);
        const now = this.clock.now();
        const organization = manager.create(OrganizationEntity, {
          workspaceId: principal.workspaceId, id: randomUUID(), name: input.name.trim(), externalId: input.externalId ?? null, notes: input.notes ?? null,
          tags: normaliseTags(input.tags ?? []), customFields, createdAt: now, updatedAt: now,
        });
        await this.organizations.insert(manager, organization);
        await this.organizations.changeDomains(manager, principal.workspaceId, organization.id, { added: domains, removed: [] });
        const view = toOrganizationView(organization, domains);
        await this.outbox.record(manager, principal, [{ type: 'organization.created', subjectType: 'organization', subjectId: organization.id, data: { organization: view } }]);
        return view;
      });
    } catch (error) {
      throw duplicateOf(error) ?? error;
    }
  }

  /** Domains that change move no contact: members stay members, and only new contacts join by domain. */
  async update(principal: Principal, id: string, input: UpdateOrganizationInput): Promise<OrganizationView> {
    try {
      // The whole set replaces the stored one, so it is checked as a whole against the organization field definitions.
      if (input.customFields !== undefined) await this.fields.validate(principal.workspaceId, 'organization', input.customFields);
      return await this.transactions.run(async (manager) => {
        const organization = await this.organizations.lock(manager, principal.workspaceId, id);
        if (!organization) throw new ResourceNotFound('organization', id);
        const before = toOrganizationView(organization, (await this.organizations.domainsOf(manager, principal.workspaceId, [id])).get(id) ?? []);
        const after: Omit<OrganizationView, 'id' | 'createdAt' | 'updatedAt'> = {
          name: input.name === undefined ? before.name : input.name.trim(),
          domains: input.domains === undefined ? before.domains : normaliseDomains(input.domains),
          externalId: input.externalId === undefined ? before.externalId : input.externalId,
          notes: input.notes === undefined ? before.notes : input.notes,
          tags: input.tags === undefined ? before.tags : normaliseTags(input.tags),
          customFields: input.customFields === undefined ? before.customFields : input.customFields,
        };
        const changes: Record<string, { before: unknown; after: unknown }> = {};
        for (const field of EDITABLE) {
          if (canonicalJson(before[field]) !== canonicalJson(after[field])) changes[field] = { before: before[field], after: after[field] };
        }
        if (Object.keys(changes).length === 0) return before;
        const added = after.domains.filter((domain) => !before.domains.includes(domain));
        const removed = before.domains.filter((domain) => !after.domains.includes(domain));
        await this.assertDomainsFree(manager, principal, id, added);
        const updatedAt = this.clock.now();
        const { domains: _domains, ...columns } = after;
        await this.organizations.update(manager, principal.workspaceId, id, { ...columns, updatedAt });
        await this.organizations.changeDomains(manager, principal.workspaceId, id, { added, removed });
        const view: OrganizationView = { ...before, ...after, updatedAt };
        await this.outbox.record(manager, principal, [{ type: 'organization.updated', subjectType: 'organization', subjectId: id, data: { organization: view, changes } }]);
        return view;
      });
    } catch (error) {
      throw duplicateOf(error) ?? error;
    }
  }

  /** 409 organization_has_contacts while contacts belong to it, unless detach: then they leave it first. Its tickets keep no organization. */
  async delete(principal: Principal, id: string, options: { detach?: boolean } = {}): Promise<void> {
    try {
      await this.transactions.run(async (manager) => {
        const organization = await this.organizations.lock(manager, principal.workspaceId, id);
        if (!organization) throw new ResourceNotFound('organization', id);
        const view = toOrganizationView(organization, (await this.organizations.domainsOf(manager, principal.workspaceId, [id])).get(id) ?? []);
        const members = this.members;
        let detached = 0;
        if (members) {
          if (options.detach) detached = await members.detachAll(manager, principal, id);
          else {
            const count = await members.count(manager, principal, id);
            if (count > 0) throw hasContacts(id, count);
          }
        }
        await this.organizations.delete(manager, principal.workspaceId, id);
        await this.outbox.record(manager, principal, [{ type: 'organization.deleted', subjectType: 'organization', subjectId: id, data: { organization: view, detachedContacts: detached } }]);
      });
    } catch (error) {
      // A contact that joined after the count still holds the row through its foreign key.
      if (foreignKeyViolation(error)) throw hasContacts(id, null);
      throw error;
    }
  }

  private async assertDomainsFree(manager: EntityManager, principal: Principal, organizationId: string | null, domains: readonly string[]): Promise<void> {
    const taken = await this.organizations.domainsHeldByOthers(manager, principal.workspaceId, organizationId, domains);
    if (taken.length > 0) {
      throw new Conflict(`Another organization in this workspace already has the domain${taken.length > 1 ? 's' : ''} ${taken.join(', ')}.`, 'duplicate', { field: 'domains', domains: taken });
    }
  }
}

function hasContacts(id: string, count: number | null): Conflict {
  const how = count === null ? 'Contacts belong' : `${count} contact${count === 1 ? ' belongs' : 's belong'}`;
  return new Conflict(`${how} to organization ${id}; delete with ?detach=true to remove them from it first.`, 'organization_has_contacts', count === null ? {} : { contacts: count });
}
