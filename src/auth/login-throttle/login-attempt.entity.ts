import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed logins of one account or one client address, counted until the failure window passes without one. */
@Entity('login_throttle')
export class LoginAttemptEntity {
  @PrimaryColumn('text') key: string;
  @Column('integer') failures: number;
  @Column('timestamptz') lastFailureAt: Date;
  @Column('timestamptz', { nullable: true }) blockedUntil: Date | null;
}
