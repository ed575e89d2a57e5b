import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FieldEntity } from './field-rules';
import { CustomFieldDefinitionEntity } from './entities/custom-field-definition.entity';
import { CustomFieldSettingsEntity } from './entities/custom-field-settings.entity';

export type DefinitionChange = Partial<Pick<CustomFieldDefinitionEntity,
  'label' | 'type' | 'options' | 'pattern' | 'required' | 'visibleToRequesters' | 'editableByRequesters' | 'position' | 'updatedAt'>>;

@Injectable()
export class FieldsRepository {
  /** All definitions of one entity kind, in form order. */
  list(manager: EntityManager, workspaceId: string, entity: FieldEntity): Promise<CustomFieldDefinitionEntity[]> {
    return manager.find(CustomFieldDefinitionEntity, { where: { workspaceId, entity }, order: { position: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  find(manager: EntityManager, workspaceId: string, entity: FieldEntity, key: string): Promise<CustomFieldDefinitionEntity | null> {
    return manager.findOne(CustomFieldDefinitionEntity, { where: { workspaceId, entity, key } });
  }

  /** Locking the definition serialises changes to it (a type change against the count of its values). */
  lock(manager: EntityManager, workspaceId: string, entity: FieldEntity, key: string): Promise<CustomFieldDefinitionEntity | null> {
    return manager.findOne(CustomFieldDefinitionEntity, { where: { workspaceId, entity, key }, lock: { mode: 'pessimistic_write' } });
  }

  async count(manager: EntityManager, workspaceId: string, entity: FieldEntity): Promise<number> {
    return manager.count(CustomFieldDefinitionEntity, { where: { workspaceId, entity } });
  }

  async nextPosition(manager: EntityManager, workspaceId: string, entity: FieldEntity): Promise<number> {
    const [row]: Array<{ next: number }> = await manager.query(
      'SELECT COALESCE(MAX(position) + 1, 0)::int AS next FROM custom_field_definitions WHERE workspace_id = $1 AND entity = $2',
      [workspaceId, entity],
    );
    return row.next;
  }

  async insert(manager: EntityManager, definition: CustomFieldDefinitionEntity): Promise<void> {
    await manager.insert(CustomFieldDefinitionEntity, definition);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: DefinitionChange): Promise<void> {
    await manager.update(CustomFieldDefinitionEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(CustomFieldDefinitionEntity, { workspaceId, id });
  }

  async strict(manager: EntityManager, workspaceId: string): Promise<boolean> {
    const settings = await manager.findOne(CustomFieldSettingsEntity, { where: { workspaceId } });
    return settings?.strict ?? false;
  }

  async setStrict(manager: EntityManager, workspaceId: string, strict: boolean, updatedAt: Date): Promise<void> {
    await manager.upsert(CustomFieldSettingsEntity, { workspaceId, strict, updatedAt }, ['workspaceId']);
  }
}
