import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('citext', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) externalId: string | null;
  @Column('uuid', { nullable: true }) organizationId: string | null;
  // `any` rather than `unknown`: TypeORM's partial-entity typing for insert and update cannot map `unknown` values.
  @Column('jsonb') metadata: Record<string, any>;
  /** Typed custom field values, checked against the contact field definitions (fields/). */
  @Column('jsonb') customFields: Record<string, any>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
