import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { Conflict, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { uniqueViolation } from '../common/errors/postgres-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { CreateCustomFieldInput, CustomFieldSettingsView, CustomFieldView, UpdateCustomFieldInput } from './dto/field.dto';
import { CustomFieldDefinitionEntity } from './entities/custom-field-definition.entity';
import { CustomFieldValueStore } from './field-value-store';
import {
  definitionProblems, droppedOptions, FieldDefinition, FieldEntity, FieldOption, missingToSolve, validateValues, ValidateOptions, visibleToRequesters,
} from './field-rules';
import { FieldsRepository } from './fields.repository';

/** Definitions per entity kind; more would make every write's validation and every form unwieldy. */
export const MAX_FIELDS_PER_ENTITY = 200;
/** Records changed per transaction when a deleted field's values are removed. */
export const REMOVE_BATCH = 200;

function toView(entity: CustomFieldDefinitionEntity): CustomFieldView {
  return {
    id: entity.id,
    entity: entity.entity,
    key: entity.key,
    label: entity.label,
    type: entity.type,
    options: (entity.options as FieldOption[]).map(({ value, label }) => ({ value, label })),
    pattern: entity.pattern,
    required: entity.required,
    visibleToRequesters: entity.visibleToRequesters,
    editableByRequesters: entity.editableByRequesters,
    position: entity.position,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

const duplicateKey = (error: unknown) =>
  uniqueViolation(error) ? new Conflict('Another field of this entity kind already has this key.', 'duplicate', { field: 'key' }) : null;

/** A caller acting as a requester (the portal's principal). */
export function isRequester(principal: Principal): boolean {
  return (principal.actor.type as string) === 'contact';
}

/**
 * Typed custom field definitions and the one validation every write of `customFields` goes through:
 * `validate(workspaceId, entity, values, options)` for tickets, contacts and organizations alike.
 */
@Injectable()
export class FieldsService {
  private readonly stores = new Map<FieldEntity, CustomFieldValueStore>();

  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly repository: FieldsRepository,
  ) {}

  /** The owner of an entity kind's table registers where its values live (counting, removing a deleted field's values). */
  registerValueStore(entity: FieldEntity, store: CustomFieldValueStore): void {
    this.stores.set(entity, store);
  }

  async list(principal: Principal, entity: FieldEntity): Promise<CustomFieldView[]> {
    return (await this.repository.list(this.transactions.manager, principal.workspaceId, entity)).map(toView);
  }

  async get(principal: Principal, entity: FieldEntity, key: string): Promise<CustomFieldView> {
    const found = await this.repository.find(this.transactions.manager, principal.workspaceId, entity, key);
    if (!found) throw new ResourceNotFound(`${entity} field`, key);
    return toView(found);
  }

  /** The definitions as the validator sees them; for other modules (the portal's forms, typed GraphQL values, list filters). */
  async definitions(workspaceId: string, entity: FieldEntity): Promise<FieldDefinition[]> {
    return this.repository.list(this.transactions.manager, workspaceId, entity);
  }

  /**
   * Refuses (422 naming `customFields.<key>`) values that do not fit the entity's definitions: a wrong type, an unknown
   * option, a required field left empty, a key without a definition in a strict workspace, a field requesters may not edit.
   * `partial`: a merge patch (null removes a key); otherwise the whole set of a new record.
   */
  async validate(workspaceId: string, entity: FieldEntity, values: Record<string, unknown>, options: Omit<ValidateOptions, 'strict'> = {}): Promise<void> {
    const manager = this.transactions.manager;
    const definitions = await this.repository.list(manager, workspaceId, entity);
    const strict = await this.repository.strict(manager, workspaceId);
    const errors = validateValues(definitions, values, { ...options, strict });
    if (errors.length > 0) throw new ValidationFailed(errors, errors.map((error) => `${error.field}: ${error.message}`).join('; '));
  }

  /** A ticket cannot become resolved while an on-solve (or always) required field is empty: 409 naming the fields. */
  async assertSolvable(workspaceId: string, values: Record<string, unknown>): Promise<void> {
    const definitions = await this.repository.list(this.transactions.manager, workspaceId, 'ticket');
    const missing = missingToSolve(definitions, values);
    if (missing.length === 0) return;
    const fields = missing.map((key) => `customFields.${key}`);
    throw new Conflict(`Fill in ${fields.join(', ')} before resolving the ticket.`, 'required_to_solve', {
      fields,
      errors: fields.map((field) => ({ field, message: 'is required to resolve the ticket' })),
    });
  }

  /** The values requesters may see, in form order. */
  async requesterView(workspaceId: string, entity: FieldEntity, values: Record<string, unknown>): Promise<Record<string, unknown>> {
    return visibleToRequesters(await this.repository.list(this.transactions.manager, workspaceId, entity), values);
  }

  async settings(principal: Principal): Promise<CustomFieldSettingsView> {
    return { strictCustomFields: await this.repository.strict(this.transactions.manager, principal.workspaceId) };
  }

  async updateSettings(principal: Principal, strictCustomFields: boolean): Promise<CustomFieldSettingsView> {
    return this.transactions.run(async (manager) => {
      const before = await this.repository.strict(manager, principal.workspaceId);
      if (before === strictCustomFields) return { strictCustomFields };
      await this.repository.setStrict(manager, principal.workspaceId, strictCustomFields, this.clock.now());
      await this.outbox.record(manager, principal, [{
        type: 'custom_field.settings_updated', subjectType: 'custom_field', subjectId: principal.workspaceId,
        data: { settings: { strictCustomFields }, changes: { strictCustomFields: { before, after: strictCustomFields } } },
      }]);
      return { strictCustomFields };
    });
  }

  async create(principal: Principal, entity: FieldEntity, input: CreateCustomFieldInput): Promise<CustomFieldView> {
    const now = this.clock.now();
    const definition: Omit<FieldDefinition, 'position'> = {
      key: input.key,
      label: input.label,
      type: input.type,
      options: (input.options ?? []).map(({ value, label }) => ({ value, label })),
      pattern: input.pattern ?? null,
      required: input.required ?? 'never',
      visibleToRequesters: input.visibleToRequesters ?? false,
      editableByRequesters: input.editableByRequesters ?? false,
    };
    this.assertDefinition(entity, definition);
    try {
      return await this.transactions.run(async (manager) => {
        if ((await this.repository.count(manager, principal.workspaceId, entity)) >= MAX_FIELDS_PER_ENTITY) {
          throw new Conflict(`A workspace has at most ${MAX_FIELDS_PER_ENTITY} ${entity} fields.`, 'too_many_fields');
        }
        const row: CustomFieldDefinitionEntity = {
          workspaceId: principal.workspaceId,
          id: randomUUID(),
          entity,
          ...definition,
          position: input.position ?? (await this.repository.nextPosition(manager, principal.workspaceId, entity)),
          createdAt: now,
          updatedAt: now,
        };
        await this.repository.insert(manager, row);
        const view = toView(row);
        await this.outbox.record(manager, principal, [{ type: 'custom_field.created', subjectType: 'custom_field', subjectId: row.id, data: { field: view } }]);
        return view;
      });
    } catch (error) {
      throw duplicateKey(error) ?? error;
    }
  }

  async update(principal: Principal, entity: FieldEntity, key: string, input: UpdateCustomFieldInput): Promise<CustomFieldView> {
    return this.transactions.run(async (manager) => {
      const row = await this.lock(manager, principal, entity, key);
      const before = toView(row);
      const after: CustomFieldView = {
        ...before,
        label: input.label ?? before.label,
        type: input.type ?? before.type,
        options: input.options ? input.options.map(({ value, label }) => ({ value, label })) : before.options,
        pattern: input.pattern !== undefined ? input.pattern : before.pattern,
        required: input.required ?? before.required,
        visibleToRequesters: input.visibleToRequesters ?? before.visibleToRequesters,
        editableByRequesters: input.editableByRequesters ?? before.editableByRequesters,
        position: input.position ?? before.position,
      };
      // A type change leaves the options and pattern of the old type behind unless new ones are sent.
      if (after.type !== before.type) {
        if (input.options === undefined && !['dropdown', 'multiselect'].includes(after.type)) after.options = [];
        if (input.pattern === undefined && after.type !== 'regex') after.pattern = null;
      }
      this.assertDefinition(entity, after);

      const store = this.stores.get(entity);
      if (after.type !== before.type && store) {
        const count = await store.countValues(manager, principal.workspaceId, key);
        if (count > 0) {
          throw new Conflict(`${count} ${entity} record(s) hold a value for ${key}; remove those values (or delete the field) before changing its type.`, 'field_in_use', { field: 'type', count });
        }
      }
      const dropped = after.type === before.type ? droppedOptions(before.options, after.options) : [];
      if (dropped.length > 0 && store) {
        const count = await store.countValues(manager, principal.workspaceId, key, dropped);
        if (count > 0) {
          throw new Conflict(`${count} ${entity} record(s) use the option(s) ${dropped.join(', ')}; option values are stable and cannot be dropped while in use.`, 'option_in_use', { field: 'options', count, values: dropped });
        }
      }

      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const field of ['label', 'type', 'options', 'pattern', 'required', 'visibleToRequesters', 'editableByRequesters', 'position'] as const) {
        if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changes[field] = { before: before[field], after: after[field] };
      }
      if (Object.keys(changes).length === 0) return before;
      after.updatedAt = this.clock.now();
      await this.repository.update(manager, principal.workspaceId, row.id, {
        label: after.label, type: after.type, options: after.options, pattern: after.pattern, required: after.required,
        visibleToRequesters: after.visibleToRequesters, editableByRequesters: after.editableByRequesters, position: after.position, updatedAt: after.updatedAt,
      });
      await this.outbox.record(manager, principal, [{ type: 'custom_field.updated', subjectType: 'custom_field', subjectId: row.id, data: { field: after, changes } }]);
      return after;
    });
  }

  /**
   * Deletes the definition, then removes its values from every record in batches of REMOVE_BATCH, each batch in its own
   * transaction with the records' history; resolves how many records lost their value.
   */
  async delete(principal: Principal, entity: FieldEntity, key: string): Promise<number> {
    await this.transactions.run(async (manager) => {
      const row = await this.lock(manager, principal, entity, key);
      await this.repository.delete(manager, principal.workspaceId, row.id);
      await this.outbox.record(manager, principal, [{ type: 'custom_field.deleted', subjectType: 'custom_field', subjectId: row.id, data: { field: toView(row) } }]);
    });
    const store = this.stores.get(entity);
    if (!store) return 0;
    let removed = 0;
    for (;;) {
      const changed = await store.removeValues(principal, key, REMOVE_BATCH);
      removed += changed;
      if (changed < REMOVE_BATCH) return removed;
    }
  }

  private assertDefinition(entity: FieldEntity, definition: Omit<FieldDefinition, 'position'>): void {
    const errors = definitionProblems(definition);
    if (entity !== 'ticket' && definition.required === 'on_solve') errors.push({ field: 'required', message: 'on_solve applies to ticket fields only' });
    if (errors.length > 0) throw new ValidationFailed(errors);
  }

  private async lock(manager: EntityManager, principal: Principal, entity: FieldEntity, key: string): Promise<CustomFieldDefinitionEntity> {
    const row = await this.repository.lock(manager, principal.workspaceId, entity, key);
    if (!row) throw new ResourceNotFound(`${entity} field`, key);
    return row;
  }
}
