import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('citext') name: string;
  @Column('text', { nullable: true }) externalId: string | null;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('text', { array: true }) tags: string[];
  // `any` rather than `unknown`: TypeORM's partial-entity typing cannot map `unknown` values.
  @Column('jsonb') customFields: Record<string, any>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
