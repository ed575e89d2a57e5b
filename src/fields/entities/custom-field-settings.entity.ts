import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('custom_field_settings')
export class CustomFieldSettingsEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @Column('boolean') strict: boolean;
  @Column('timestamptz') updatedAt: Date;
}
