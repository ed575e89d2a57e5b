import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FieldsService, isRequester } from '../fields/fields.service';
import { Clock } from '../common/clock';
import { isEmail, isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/principal';
import { Conflict, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { foreignKeyViolation, uniqueViolation } from '../common/errors/postgres-errors';
import { Page } from '../common/pagination/cursor';
import { creationCursor } from '../common/pagination/keyset';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { OrganizationsService } from '../organizations/organizations.service';
import { ContactView, CreateContactInput, UpdateContactInput } from './dto/contact.dto';
import { ContactsRepository } from './contacts.repository';
import { ContactEntity } from './entities/contact.entity';

export interface ContactListOptions {
  limit?: number;
  cursor?: string;
  email?: string;
  externalId?: string;
  q?: string;
  /** An organization's id, or "none" for contacts without one. */
  organizationId?: string;
}

export interface RequesterReference {
  id?: string;
  email?: string;
  name?: string;
}

type ContactFields = Pick<ContactEntity, 'name' | 'email' | 'phone' | 'externalId' | 'organizationId' | 'metadata' | 'customFields'>;
type FieldChanges = Partial<Record<keyof ContactFields, { before: unknown; after: unknown }>>;

const EDITABLE: Array<keyof ContactFields> = ['name', 'email', 'phone', 'externalId', 'organizationId', 'metadata', 'customFields'];
const UNIQUE_FIELDS: Record<string, 'email' | 'externalId'> = {
  contacts_workspace_email_key: 'email',
  contacts_workspace_external_id_key: 'externalId',
};

export function toContactView(contact: ContactEntity): ContactView {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    externalId: contact.externalId,
    organizationId: contact.organizationId,
    metadata: contact.metadata,
    customFields: contact.customFields,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
}

function assertIdentifiable(contact: ContactFields): void {
  if (contact.name !== null || contact.email !== null || contact.externalId !== null) return;
  const message = 'a contact needs at least one of email, externalId or name';
  throw new ValidationFailed(['email', 'externalId', 'name'].map((field) => ({ field, message })), `A contact needs at least one of email, externalId or name.`);
}

function duplicateOf(error: unknown): Conflict | null {
  const constraint = uniqueViolation(error);
  if (!constraint) return null;
  const field = UNIQUE_FIELDS[constraint] ?? 'email';
  return new Conflict(`Another contact in this workspace already has this ${field}.`, 'duplicate', { field });
}

/** JSON merge patch (RFC 7396) one level deep: a null value removes the key. */
function mergePatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

// jsonb does not keep key order, so metadata is compared by content.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}


/** Contacts list newest first; contactCursor resumes that list right after a contact (GraphQL edges). */
const CONTACTS_ORDER = 'DESC';
export const contactCursor = (contact: { id: string; createdAt: Date }): string => creationCursor(contact, CONTACTS_ORDER);

@Injectable()
export class ContactsService implements OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly contacts: ContactsRepository,
    private readonly organizations: OrganizationsService,
    private readonly fields: FieldsService,
  ) {}

  /** Deleting an organization counts or detaches its contacts, which this module owns. */
  onModuleInit(): void {
    this.organizations.useMembers({
      count: (manager, principal, organizationId) => this.contacts.countInOrganization(manager, principal.workspaceId, organizationId),
      detachAll: (manager, principal, organizationId) => this.detachAll(manager, principal, organizationId),
    });
  }

  async list(principal: Principal, options: ContactListOptions): Promise<Page<ContactView>> {
    const organizationId = options.organizationId === undefined ? undefined : options.organizationId.toLowerCase() === 'none' ? null : options.organizationId;
    const filter = { email: options.email, externalId: options.externalId, namePrefix: options.q, organizationId };
    const page = await this.contacts.page(this.transactions.manager, principal.workspaceId, filter, options);
    return { data: page.data.map(toContactView), nextCursor: page.nextCursor };
  }

  /** GET /v1/organizations/:id/contacts: 404 for an organization of another workspace. */
  async listForOrganization(principal: Principal, organizationId: string, page: { limit?: number; cursor?: string }): Promise<Page<ContactView>> {
    await this.organizations.get(principal, organizationId);
    return this.list(principal, { limit: page.limit, cursor: page.cursor, organizationId });
  }

  async get(principal: Principal, id: string): Promise<ContactView> {
    const contact = await this.contacts.find(this.transactions.manager, principal.workspaceId, id);
    if (!contact) throw new ResourceNotFound('contact', id);
    return toContactView(contact);
  }

  /** Batch lookup for GraphQL loaders and ticket views; ids of other workspaces are simply absent. */
  async findByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, ContactView>> {
    if (ids.length === 0) return new Map();
    const contacts = await this.contacts.findByIds(this.transactions.manager, principal.workspaceId, ids);
    return new Map(contacts.map((contact) => [contact.id, toContactView(contact)]));
  }

  async create(principal: Principal, input: CreateContactInput): Promise<ContactView> {
    const fields: ContactFields = {
      name: input.name ?? null,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      externalId: input.externalId ?? null,
      organizationId: null,
      metadata: input.metadata ?? {},
      customFields: input.customFields ?? {},
    };
    assertIdentifiable(fields);
    try {
      return await this.transactions.run(async (manager) => {
        fields.organizationId = await this.organizationOfNewContact(principal, input.organizationId, fields.email);
        await this.fields.validate(principal.workspaceId, 'contact', fields.customFields, { requester: isRequester(principal) });
        const now = this.clock.now();
        const contact = manager.create(ContactEntity, { workspaceId: principal.workspaceId, id: randomUUID(), ...fields, createdAt: now, updatedAt: now });
        await this.contacts.insert(manager, contact);
        const view = toContactView(contact);
        await this.outbox.record(manager, principal, [{ type: 'contact.created', subjectType: 'contact', subjectId: contact.id, data: { contact: view } }]);
        return view;
      });
    } catch (error) {
      throw duplicateOf(error) ?? error;
    }
  }

  async update(principal: Principal, id: string, input: UpdateContactInput): Promise<ContactView> {
    try {
      return await this.transactions.run(async (manager) => {
        const contact = await this.contacts.lock(manager, principal.workspaceId, id);
        if (!contact) throw new ResourceNotFound('contact', id);
        const before = toContactView(contact);
        const after: ContactFields = {
          name: input.name === undefined ? before.name : input.name,
          email: input.email === undefined ? before.email : (input.email?.toLowerCase() ?? null),
          phone: input.phone === undefined ? before.phone : input.phone,
          externalId: input.externalId === undefined ? before.externalId : input.externalId,
          organizationId: input.organizationId === undefined ? before.organizationId : (input.organizationId?.toLowerCase() ?? null),
          metadata: input.metadata === undefined ? before.metadata : (input.metadata ?? {}),
          customFields: input.customFields === undefined ? before.customFields : mergePatch(before.customFields, input.customFields),
        };
        if (input.customFields !== undefined) await this.fields.validate(principal.workspaceId, 'contact', input.customFields, { partial: true, requester: isRequester(principal) });
        const changes: FieldChanges = {};
        for (const field of EDITABLE) {
          if (canonicalJson(before[field]) !== canonicalJson(after[field])) changes[field] = { before: before[field], after: after[field] };
        }
        if (Object.keys(changes).length === 0) return before;
        assertIdentifiable(after);
        if (changes.organizationId && after.organizationId !== null) await this.organizations.assertExists(principal, after.organizationId);
        const updatedAt = this.clock.now();
        await this.contacts.update(manager, principal.workspaceId, id, { ...after, updatedAt });
        const view: ContactView = { ...before, ...after, updatedAt };
        await this.outbox.record(manager, principal, [{ type: 'contact.updated', subjectType: 'contact', subjectId: id, data: { contact: view, changes } }]);
        return view;
      });
    } catch (error) {
      throw duplicateOf(error) ?? error;
    }
  }

  async delete(principal: Principal, id: string): Promise<void> {
    try {
      await this.transactions.run(async (manager) => {
        const contact = await this.contacts.lock(manager, principal.workspaceId, id);
        if (!contact) throw new ResourceNotFound('contact', id);
        await this.contacts.delete(manager, principal.workspaceId, id);
        await this.outbox.record(manager, principal, [{ type: 'contact.deleted', subjectType: 'contact', subjectId: id, data: { contact: toContactView(contact) } }]);
      });
    } catch (error) {
      // Tickets keep their requester: the foreign key refuses the delete even if a ticket was created a moment ago.
      if (foreignKeyViolation(error)) {
        throw new Conflict(`Contact ${id} is the requester of tickets, which must keep their requester; it cannot be deleted.`, 'contact_has_tickets');
      }
      throw error;
    }
  }

  /**
   * The requester of a new ticket: an existing contact by id, or the contact with this email, created if needed.
   * Runs in the caller's transaction; concurrent calls for one new email all get the same contact.
   */
  async findOrCreateRequester(principal: Principal, requester: RequesterReference): Promise<ContactView> {
    return this.transactions.run(async (manager) => {
      if (requester.id !== undefined) {
        if (!isUUID(requester.id)) throw ValidationFailed.field('requester.id', 'must be a UUID');
        const contact = await this.contacts.find(manager, principal.workspaceId, requester.id);
        if (!contact) throw ValidationFailed.field('requester.id', `no contact with id ${requester.id} exists in this workspace`);
        return toContactView(contact);
      }
      if (requester.email === undefined || !isEmail(requester.email)) {
        throw ValidationFailed.field(requester.email === undefined ? 'requester' : 'requester.email', 'give the id of an existing contact or a valid email');
      }
      const email = requester.email.toLowerCase();
      const now = this.clock.now();
      const organizationId = await this.organizations.organizationIdForEmail(principal, email);
      const insertedId = await this.contacts.insertUnlessEmailTaken(manager, {
        workspaceId: principal.workspaceId, id: randomUUID(), name: requester.name ?? null, email, organizationId, createdAt: now,
      });
      if (insertedId === null) return toContactView(await this.contacts.findByEmail(manager, principal.workspaceId, email));
      // Inserted just now: the row is exactly what was sent, so there is nothing to read back.
      const view = toContactView({ workspaceId: principal.workspaceId, id: insertedId, name: requester.name ?? null, email, phone: null, externalId: null, organizationId, metadata: {}, customFields: {}, createdAt: now, updatedAt: now });
      await this.outbox.record(manager, principal, [{ type: 'contact.created', subjectType: 'contact', subjectId: view.id, data: { contact: view } }]);
      return view;
    });
  }

  /**
   * The organization a new contact joins: the one named (checked), none when null, otherwise the one whose domains
   * include the email's domain. Every way a contact is created (API, email intake, chat, portal, new tickets) comes
   * through create or findOrCreateRequester, and both ask here.
   */
  private async organizationOfNewContact(principal: Principal, named: string | null | undefined, email: string | null): Promise<string | null> {
    if (named === null) return null;
    if (named !== undefined) {
      await this.organizations.assertExists(principal, named);
      return named.toLowerCase();
    }
    return this.organizations.organizationIdForEmail(principal, email);
  }

  /** The organization is being deleted with ?detach=true: its contacts leave it, each with a contact.updated event. */
  private async detachAll(manager: EntityManager, principal: Principal, organizationId: string): Promise<number> {
    const updatedAt = this.clock.now();
    const ids = await this.contacts.detachFromOrganization(manager, principal.workspaceId, organizationId, updatedAt);
    const contacts = await this.contacts.findByIds(manager, principal.workspaceId, ids);
    await this.outbox.record(manager, principal, contacts.map((contact) => ({
      type: 'contact.updated' as const, subjectType: 'contact' as const, subjectId: contact.id,
      data: { contact: toContactView(contact), changes: { organizationId: { before: organizationId, after: null } } },
    })));
    return ids.length;
  }
}
