import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MacroVisibility = 'workspace' | 'team' | 'agent';

@Entity('macros')
export class MacroEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') visibility: MacroVisibility;
  @Column('uuid', { nullable: true }) teamId: string | null;
  @Column('uuid', { nullable: true }) agentId: string | null;
  // TypeORM's partial-entity typing cannot express unknown JSON values, hence any.
  @Column('jsonb') actions: any[];
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
