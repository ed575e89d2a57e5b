import { Inject, Injectable, Logger } from '@nestjs/common';
import { systemPrincipal } from '../../auth/principal';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TransactionRunner } from '../../database/transaction-runner';
import { Outbox } from '../../events/outbox';
import { signedHeaders } from '../signing/webhook-signature';
import { WebhookSecrets } from '../webhook-secrets';
import { ClaimedDelivery, DeliveryQueueRepository } from './delivery-queue.repository';
import { EndpointAnswer, EndpointClient } from './endpoint-client';
import { classifyResponse, judgeAttempt } from './retry-policy';

/** One attempt of one delivery: sign, send, then record the answer and what it means for the endpoint. */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: DeliveryQueueRepository,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly secrets: WebhookSecrets,
    private readonly client: EndpointClient,
  ) {}

  async run(delivery: ClaimedDelivery, cancel: AbortSignal): Promise<void> {
    const attemptedAt = new Date();
    const body = JSON.stringify(delivery.payload);
    let answer: EndpointAnswer;
    const signingSecrets = this.signingSecrets(delivery);
    if (signingSecrets === null) {
      answer = { statusCode: null, durationMs: 0, responseExcerpt: null, cancelled: false, error: 'the signing secret could not be decrypted; was WEBHOOK_ENCRYPTION_KEY changed?' };
    } else {
      answer = await this.client.post(delivery.url, { ...signedHeaders(signingSecrets, delivery.eventId, attemptedAt, body) }, body, cancel);
    }
    if (answer.cancelled) {
      await this.queue.release(delivery);
      return;
    }
    if (answer.error || classifyResponse(answer.statusCode) !== 'success') {
      this.logger.debug({ msg: 'Webhook attempt failed', deliveryId: delivery.id, webhookId: delivery.subscriptionId, statusCode: answer.statusCode, error: answer.error });
    }
    await this.record(delivery, attemptedAt, answer);
  }

  private signingSecrets(delivery: ClaimedDelivery): string[] | null {
    try {
      const current = this.secrets.open(delivery.workspaceId, delivery.subscriptionId, delivery.secretCiphertext);
      const previous = delivery.previousSecretCiphertext ? this.secrets.open(delivery.workspaceId, delivery.subscriptionId, delivery.previousSecretCiphertext) : null;
      return previous ? [current, previous] : [current];
    } catch {
      return null;
    }
  }

  private async record(delivery: ClaimedDelivery, attemptedAt: Date, answer: EndpointAnswer): Promise<void> {
    await this.transactions.run(async (manager) => {
      if (classifyResponse(answer.statusCode) === 'success') {
        if (await this.queue.settle(manager, delivery, attemptedAt, answer, { status: 'succeeded' })) await this.queue.markHealthy(manager, delivery);
        return;
      }
      const health = await this.queue.lockEndpointHealth(manager, delivery);
      if (!health) return;
      const isPing = delivery.eventType === 'webhook.ping';
      const verdict = judgeAttempt(
        { statusCode: answer.statusCode, attemptNumber: delivery.attemptCount + 1, failingSince: health.failingSince, now: health.now },
        // A ping is a one-off check: its answer is reported, not retried.
        { retryScheduleMs: isPing ? [] : this.config.webhooks.retryScheduleMs, disableAfterDays: this.config.webhooks.disableAfterDays },
      );
      if (!(await this.queue.settle(manager, delivery, attemptedAt, answer, verdict.delivery))) return;
      const endpoint = verdict.endpoint;
      if (endpoint.health === 'disabled' && health.enabled) {
        const webhook = await this.queue.disable(manager, delivery, endpoint.reason, endpoint.since);
        await this.outbox.record(manager, systemPrincipal(delivery.workspaceId), [{
          type: 'webhook.disabled',
          subjectType: 'webhook',
          subjectId: delivery.subscriptionId,
          data: { webhook, reason: endpoint.reason, lastAttempt: { attemptedAt: attemptedAt.toISOString(), statusCode: answer.statusCode, error: answer.error } },
        }]);
        this.logger.warn({ msg: 'Webhook disabled', webhookId: delivery.subscriptionId, workspaceId: delivery.workspaceId, reason: endpoint.reason });
      } else if (endpoint.health !== 'healthy' && endpoint.since) {
        await this.queue.markFailing(manager, delivery, endpoint.since);
      }
    });
  }
}
