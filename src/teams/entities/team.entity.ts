import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AssignmentStrategy } from '../assignment-strategy';

export { ASSIGNMENT_STRATEGIES, AssignmentStrategy } from '../assignment-strategy';

@Entity('teams')
export class TeamEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('citext') name: string;
  @Column('text') assignmentStrategy: AssignmentStrategy;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
