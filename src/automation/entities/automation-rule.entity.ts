import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('automation_rules')
export class AutomationRuleEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('integer') position: number;
  @Column('boolean') enabled: boolean;
  @Column('text', { array: true }) events: string[];
  // TypeORM's partial-entity typing cannot express unknown JSON values, hence any.
  @Column('jsonb') conditions: any;
  @Column('jsonb') actions: any[];
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
