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

interface Success {
  delivery: ClaimedDelivery;
  attemptedAt: Date;
  answer: EndpointAnswer;
}

// Successes finishing within this window are recorded together: one commit for many deliveries.
const SUCCESS_BATCH_WINDOW_MS = 2;
const SUCCESS_BATCH_MAX = 200;

/** One attempt of one delivery: sign, send, then record the answer and what it means for the endpoint. */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger('WebhookDelivery');
  private successes: Array<Success & { done: (error?: unknown) => void }> = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: DeliveryQueueRepository,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly secrets: WebhookSecrets,
    private readonly client: EndpointClient,
  ) {}

  /**
   * Sends one attempt and resolves once the endpoint has answered, so the caller can free the endpoint's slot;
   * `recorded` settles when the answer is in the database (successes are recorded in batches).
   */
  async send(delivery: ClaimedDelivery, cancel: AbortSignal): Promise<{ recorded: Promise<void> }> {
    const attemptedAt = new Date();
    const body = JSON.stringify(delivery.payload);
    let answer: EndpointAnswer;
    const signingSecrets = this.signingSecrets(delivery);
    if (signingSecrets === null) {
      answer = { statusCode: null, durationMs: 0, responseExcerpt: null, cancelled: false, error: 'the signing secret could not be decrypted; was WEBHOOK_ENCRYPTION_KEY changed?' };
    } else {
      answer = await this.client.post(delivery.url, { ...signedHeaders(signingSecrets, delivery.eventId, attemptedAt, body) }, body, cancel);
    }
    if (answer.cancelled) return { recorded: this.queue.release(delivery) };
    if (answer.error || classifyResponse(answer.statusCode) !== 'success') {
      this.logger.debug({ msg: 'Webhook attempt failed', deliveryId: delivery.id, webhookId: delivery.subscriptionId, statusCode: answer.statusCode, error: answer.error });
    }
    if (classifyResponse(answer.statusCode) === 'success') return { recorded: this.recordSuccess({ delivery, attemptedAt, answer }) };
    return { recorded: this.recordFailure(delivery, attemptedAt, answer) };
  }

  private recordSuccess(success: Success): Promise<void> {
    return new Promise((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the batch's database error, passed on as given.
      this.successes.push({ ...success, done: (error) => (error ? reject(error) : resolve()) });
      if (this.successes.length >= SUCCESS_BATCH_MAX) this.flushSuccesses();
      else this.flushTimer ??= setTimeout(() => this.flushSuccesses(), SUCCESS_BATCH_WINDOW_MS);
    });
  }

  /** One flush at a time: successes arriving meanwhile gather into the next batch, like a group commit. */
  private flushSuccesses(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.flushing || this.successes.length === 0) return;
    const batch = this.successes.splice(0, SUCCESS_BATCH_MAX);
    this.flushing = this.queue
      .settleSucceeded(batch)
      .then(() => batch.forEach((entry) => entry.done()), (error) => batch.forEach((entry) => entry.done(error)))
      .finally(() => {
        this.flushing = null;
        this.flushSuccesses();
      });
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

  private async recordFailure(delivery: ClaimedDelivery, attemptedAt: Date, answer: EndpointAnswer): Promise<void> {
    await this.transactions.run(async (manager) => {
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
