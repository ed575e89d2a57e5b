import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'load_balanced'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

@Entity('teams')
export class TeamEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('citext') name: string;
  @Column('text') assignmentStrategy: AssignmentStrategy;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
