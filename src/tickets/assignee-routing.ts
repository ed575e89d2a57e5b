import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { TeamAssigneePicker } from './ticket-change-set';

/** Lets the assignment module route tickets without the tickets module depending on it (it depends on us). */
@Injectable()
export class AssigneeRouting {
  private picker: TeamAssigneePicker | null = null;

  use(picker: TeamAssigneePicker): void {
    this.picker = picker;
  }

  /** Under the team's rotation lock, in the caller's transaction; nobody for a deployment without routing. */
  pick(manager: EntityManager, principal: Principal, teamId: string): Promise<{ agentId: string | null; strategy: string }> {
    return this.picker ? this.picker.pick(manager, principal, teamId) : Promise.resolve({ agentId: null, strategy: 'manual' });
  }
}
