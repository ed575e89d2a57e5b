import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ViewVisibility = 'shared' | 'personal';

@Entity('saved_views')
export class SavedViewEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  // TypeORM's partial-entity typing cannot express unknown JSON values, hence any.
  @Column('jsonb') filter: any;
  @Column('text') sort: string;
  @Column('text') visibility: ViewVisibility;
  @Column('uuid', { nullable: true }) agentId: string | null;
  @Column('integer') position: number;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
