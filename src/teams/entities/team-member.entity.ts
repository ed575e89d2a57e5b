import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('team_members')
export class TeamMemberEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') teamId: string;
  @PrimaryColumn('uuid') agentId: string;
  @Column('timestamptz') addedAt: Date;
}
