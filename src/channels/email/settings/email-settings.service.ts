import { Injectable } from '@nestjs/common';
import { Principal } from '../../../auth/principal';
import { Clock } from '../../../common/clock';
import { TransactionRunner } from '../../../database/transaction-runner';
import { EmailSettingsView, UpdateEmailSettingsInput } from './email-settings.dto';
import { EmailSettingsRepository } from './email-settings.repository';

const DEFAULT_INBOUND_CC_ENABLED = true;

/** Workspace-wide settings of the email channel. */
@Injectable()
export class EmailSettingsService {
  constructor(private readonly transactions: TransactionRunner, private readonly clock: Clock, private readonly settings: EmailSettingsRepository) {}

  async get(principal: Principal): Promise<EmailSettingsView> {
    const enabled = await this.settings.inboundCcEnabled(this.transactions.manager, principal.workspaceId);
    return { inboundCcEnabled: enabled ?? DEFAULT_INBOUND_CC_ENABLED };
  }

  update(principal: Principal, input: UpdateEmailSettingsInput): Promise<EmailSettingsView> {
    return this.transactions.run(async (manager) => {
      if (input.inboundCcEnabled !== undefined) await this.settings.storeInboundCcEnabled(manager, principal.workspaceId, input.inboundCcEnabled, this.clock.now());
      return this.get(principal);
    });
  }
}
