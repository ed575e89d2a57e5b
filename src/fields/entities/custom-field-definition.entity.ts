import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FieldEntity, FieldOption, FieldRequired, FieldType } from '../field-rules';

@Entity('custom_field_definitions')
export class CustomFieldDefinitionEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') entity: FieldEntity;
  @Column('text') key: string;
  @Column('text') label: string;
  @Column('text') type: FieldType;
  // `any` rather than a precise type: TypeORM's partial-entity typing for insert and update cannot map jsonb arrays.
  @Column('jsonb') options: any;
  @Column('text', { nullable: true }) pattern: string | null;
  @Column('text') required: FieldRequired;
  @Column('boolean') visibleToRequesters: boolean;
  @Column('boolean') editableByRequesters: boolean;
  @Column('integer') position: number;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

export type StoredOptions = FieldOption[];
