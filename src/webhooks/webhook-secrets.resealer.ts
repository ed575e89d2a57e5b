import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { ResealPage, SealedSecretsOwner, SealedSecretsRegistry } from '../keys/sealed-secrets';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksRepository } from './webhooks.repository';

/** Re-seals subscriptions' signing secrets (current and, during a secret rotation, previous) after a key rotation. */
@Injectable()
export class WebhookSecretsResealer implements SealedSecretsOwner, OnModuleInit {
  readonly sealedSecrets = 'webhook signing secrets';

  constructor(
    private readonly registry: SealedSecretsRegistry,
    private readonly transactions: TransactionRunner,
    private readonly repository: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  resealPage(after: string | null, limit: number): Promise<ResealPage> {
    return this.transactions.run(async (manager) => {
      const rows = await this.repository.sealedSecretsPage(manager, after ? (after.split('/') as [string, string]) : null, limit);
      let resealed = 0;
      for (const row of rows) {
        for (const which of ['current', 'previous'] as const) {
          const was = row[which];
          const sealed = was === null ? null : this.secrets.reseal(row.workspaceId, row.id, was);
          if (was === null || sealed === null) continue;
          await this.repository.replaceSealedSecret(manager, row.workspaceId, row.id, which, was, sealed);
          resealed += 1;
        }
      }
      const last = rows[rows.length - 1];
      return { resealed, next: rows.length === limit ? `${last.workspaceId}/${last.id}` : null };
    });
  }
}
