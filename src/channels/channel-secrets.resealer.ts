import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { ResealPage, SealedSecretsOwner, SealedSecretsRegistry } from '../keys/sealed-secrets';
import { MailboxesRepository } from './email/mailboxes/mailboxes.repository';
import { ChannelSecrets } from './mail-secrets';

/** Re-seals mailboxes' IMAP and SMTP passwords after a key rotation. */
@Injectable()
export class MailboxPasswordsResealer implements SealedSecretsOwner, OnModuleInit {
  readonly sealedSecrets = 'mailbox passwords';

  constructor(
    private readonly registry: SealedSecretsRegistry,
    private readonly transactions: TransactionRunner,
    private readonly mailboxes: MailboxesRepository,
    private readonly secrets: ChannelSecrets,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  resealPage(after: string | null, limit: number): Promise<ResealPage> {
    return this.transactions.run(async (manager) => {
      const rows = await this.mailboxes.sealedPasswordsPage(manager, after ? (after.split('/') as [string, string]) : null, limit);
      let resealed = 0;
      for (const row of rows) {
        for (const kind of ['imap', 'smtp'] as const) {
          const was = row[kind];
          const sealed = was === null ? null : this.secrets.reseal(row.workspaceId, kind, row.id, was);
          if (was === null || sealed === null) continue;
          await this.mailboxes.replaceSealedPassword(manager, row.workspaceId, row.id, kind, was, sealed);
          resealed += 1;
        }
      }
      const last = rows[rows.length - 1];
      return { resealed, next: rows.length === limit ? `${last.workspaceId}/${last.id}` : null };
    });
  }
}
