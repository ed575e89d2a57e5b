import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SessionEndReason = 'logout' | 'refresh_reuse' | 'password_changed' | 'deactivated';

/** One login: the family of refresh tokens rotated from it and every access token they issued (their `sid`). */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') agentId: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  /** Null for sessions revoked before reasons were recorded. */
  @Column('text', { nullable: true }) revokedReason: SessionEndReason | null;
}
