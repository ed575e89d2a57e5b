import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PausedStatuses, SlaConditions, SlaTargets } from '../sla-policy-rules';

@Entity('sla_policies')
export class SlaPolicyEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('citext') name: string;
  @Column('integer') position: number;
  @Column('uuid', { nullable: true }) businessHoursId: string | null;
  @Column('jsonb') conditions: SlaConditions;
  @Column('jsonb') targets: SlaTargets;
  @Column('jsonb') pausedStatuses: PausedStatuses;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
