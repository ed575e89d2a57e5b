import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction-runner';
import { SlaSettingsView, UpdateSlaSettingsInput } from './sla-settings.dto';
import { ResolvedTicketDue, SlaSettingsRepository } from './sla-settings.repository';

export const DEFAULT_AUTO_CLOSE_DAYS = 4;
export const MIN_AUTO_CLOSE_DAYS = 1;

@Injectable()
export class SlaSettingsService {
  constructor(private readonly transactions: TransactionRunner, private readonly clock: Clock, private readonly settings: SlaSettingsRepository) {}

  async get(principal: Principal): Promise<SlaSettingsView> {
    const days = await this.settings.autoCloseAfterDays(this.transactions.manager, principal.workspaceId);
    return { autoCloseAfterDays: days ?? DEFAULT_AUTO_CLOSE_DAYS };
  }

  async update(principal: Principal, input: UpdateSlaSettingsInput): Promise<SlaSettingsView> {
    return this.transactions.run(async (manager) => {
      if (input.autoCloseAfterDays !== undefined) {
        await this.settings.storeAutoCloseAfterDays(manager, principal.workspaceId, input.autoCloseAfterDays, this.clock.now());
      }
      return this.get(principal);
    });
  }

  /** Resolved tickets whose workspace's waiting time has passed, locked so concurrent instances split them. */
  lockResolvedTicketsDue(manager: EntityManager, now: Date, resolvedBefore: Date, limit: number): Promise<ResolvedTicketDue[]> {
    return this.settings.lockResolvedTicketsDue(manager, DEFAULT_AUTO_CLOSE_DAYS, now, resolvedBefore, limit);
  }
}
