import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/principal';
import { ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';
import { TransactionRunner } from '../database/transaction-runner';
import { CreateWebhookInput, UpdateWebhookInput, WebhookView, WebhookWithSecretView } from './dto/webhook.dto';
import { EndpointGuard } from './endpoint-guard';
import { WebhooksRepository } from './webhooks.repository';
import { WebhookSubscriptionEntity } from './entities/webhook-subscription.entity';
import { checkEventFilter } from './event-filter';
import { newSigningSecret } from './signing/webhook-secret';
import { WebhookSecrets } from './webhook-secrets';

const ROTATION_OVERLAP_MS = 24 * 3_600_000;

function toView(subscription: WebhookSubscriptionEntity): WebhookView {
  const rotating = subscription.previousSecretExpiresAt !== null && subscription.previousSecretExpiresAt.getTime() > Date.now();
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events,
    description: subscription.description,
    enabled: subscription.enabled,
    disabledReason: subscription.disabledReason,
    disabledAt: subscription.disabledAt,
    failingSince: subscription.failingSince,
    previousSecretExpiresAt: rotating ? subscription.previousSecretExpiresAt : null,
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

function checkedEvents(events: string[]): string[] {
  const checked = checkEventFilter(events);
  if ('field' in checked) throw ValidationFailed.field(checked.field, checked.message);
  return checked.events;
}

/** Webhook subscriptions: who receives which events, and the secrets that sign them. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly endpoints: EndpointGuard,
    private readonly secrets: WebhookSecrets,
    private readonly subscriptions: WebhooksRepository,
  ) {}

  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<WebhookView>> {
    const result = await this.subscriptions.pageSubscriptions(this.transactions.manager, principal.workspaceId, page);
    return { data: result.data.map(toView), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<WebhookView> {
    return toView(await this.find(principal, id));
  }

  async create(principal: Principal, input: CreateWebhookInput): Promise<WebhookWithSecretView> {
    const events = checkedEvents(input.events);
    const url = await this.endpoints.checkedUrl(input.url);
    const secret = newSigningSecret();
    const now = this.clock.now();
    const id = randomUUID();
    const enabled = input.enabled ?? true;
    const subscription: WebhookSubscriptionEntity = {
      workspaceId: principal.workspaceId,
      id,
      url,
      events,
      description: input.description ?? null,
      enabled,
      secretCiphertext: this.secrets.seal(principal.workspaceId, id, secret),
      previousSecretCiphertext: null,
      previousSecretExpiresAt: null,
      failingSince: null,
      disabledReason: enabled ? null : 'manual',
      disabledAt: enabled ? null : now,
      createdAt: now,
      updatedAt: now,
    };
    await this.transactions.run((manager) => this.subscriptions.insertSubscription(manager, subscription));
    return { ...toView(subscription), secret };
  }

  async update(principal: Principal, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
    const events = input.events !== undefined ? checkedEvents(input.events) : undefined;
    const url = input.url !== undefined ? await this.endpoints.checkedUrl(input.url) : undefined;
    return this.transactions.run(async (manager) => {
      const subscription = await this.find(principal, id, true);
      const now = this.clock.now();
      if (url !== undefined) subscription.url = url;
      if (events !== undefined) subscription.events = events;
      if (input.description !== undefined) subscription.description = input.description;
      if (input.enabled === true && !subscription.enabled) {
        // A fresh start: the failure record that disabled it no longer counts against the endpoint.
        Object.assign(subscription, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
      } else if (input.enabled === false && subscription.enabled) {
        Object.assign(subscription, { enabled: false, disabledReason: 'manual', disabledAt: now });
      }
      subscription.updatedAt = now;
      await this.subscriptions.updateSubscription(manager, principal.workspaceId, id, {
        url: subscription.url, events: subscription.events, description: subscription.description, enabled: subscription.enabled,
        disabledReason: subscription.disabledReason, disabledAt: subscription.disabledAt, failingSince: subscription.failingSince, updatedAt: now,
      });
      return toView(subscription);
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const deleted = await this.subscriptions.deleteSubscription(this.transactions.manager, principal.workspaceId, id);
    if (!deleted) throw new ResourceNotFound('webhook', id);
  }

  /** A new secret, returned once; the old one keeps signing beside it for 24 hours so consumers can switch over. */
  async rotateSecret(principal: Principal, id: string): Promise<WebhookWithSecretView> {
    const secret = newSigningSecret();
    return this.transactions.run(async (manager) => {
      const subscription = await this.find(principal, id, true);
      const now = this.clock.now();
      subscription.previousSecretCiphertext = subscription.secretCiphertext;
      subscription.previousSecretExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
      subscription.secretCiphertext = this.secrets.seal(principal.workspaceId, id, secret);
      subscription.updatedAt = now;
      await this.subscriptions.updateSubscription(manager, principal.workspaceId, id, {
        secretCiphertext: subscription.secretCiphertext,
        previousSecretCiphertext: subscription.previousSecretCiphertext,
        previousSecretExpiresAt: subscription.previousSecretExpiresAt,
        updatedAt: now,
      });
      return { ...toView(subscription), secret };
    });
  }

  private async find(principal: Principal, id: string, forUpdate = false): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.subscriptions.findSubscription(this.transactions.manager, principal.workspaceId, id, forUpdate);
    if (!subscription) throw new ResourceNotFound('webhook', id);
    return subscription;
  }
}
