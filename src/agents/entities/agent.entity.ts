import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Role } from '../../auth/principal';

export type Availability = 'online' | 'away' | 'offline';

@Entity('agents')
export class AgentEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('citext') email: string;
  @Column('text') role: Role;
  @Column('text', { nullable: true, select: false }) passwordHash: string | null;
  @Column('text') availability: Availability;
  @Column('integer', { nullable: true }) capacity: number | null;
  /** A deactivated agent cannot log in, and its sessions and bound API keys stop working. */
  @Column('timestamptz', { nullable: true }) deactivatedAt: Date | null;
  /** Set by repeated failed logins; lockedUntil null while lockedAt is set means until an admin unlocks. */
  @Column('timestamptz', { nullable: true }) lockedAt: Date | null;
  @Column('timestamptz', { nullable: true }) lockedUntil: Date | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}
