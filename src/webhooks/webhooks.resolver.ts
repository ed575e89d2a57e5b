import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { creationCursor } from '../common/pagination/keyset';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { deliveryCursor, DeliveryLogService } from './delivery-log/delivery-log.service';
import { WebhookDeliveriesArgs, WebhookDeliveryConnection, WebhookDeliveryView } from './dto/webhook-delivery.dto';
import { ConnectionArgs, CreateWebhookInput, UpdateWebhookInput, WebhookConnection, WebhookView, WebhookWithSecretView } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@Resolver(() => WebhookView)
@AdminOnly()
export class WebhooksResolver {
  constructor(private readonly webhooksService: WebhooksService, private readonly deliveries: DeliveryLogService) {}

  @Query(() => WebhookConnection, { description: 'Webhook subscriptions of the workspace, oldest first.' })
  webhooks(@CurrentPrincipal() principal: Principal, @Args() args: ConnectionArgs): Promise<WebhookConnection> {
    return connection(() => this.webhooksService.list(principal, { limit: args.first, cursor: args.after }), creationCursor);
  }

  @Query(() => WebhookView)
  webhook(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<WebhookView> {
    return this.webhooksService.get(principal, id);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of a webhook, newest first.' })
  webhookDeliveries(@CurrentPrincipal() principal: Principal, @Args() args: WebhookDeliveriesArgs): Promise<WebhookDeliveryConnection> {
    // webhookId is one of the args: a separate @Args('webhookId') left it in the object the validation pipe refuses unknown fields of.
    return connection(() => this.deliveries.list(principal, args.webhookId, { limit: args.first, cursor: args.after, status: args.status }), deliveryCursor);
  }

  @Mutation(() => WebhookWithSecretView, { description: 'The signing secret is returned once, in this response only.' })
  createWebhook(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateWebhookInput): Promise<WebhookWithSecretView> {
    return this.webhooksService.create(principal, input);
  }

  @Mutation(() => WebhookView)
  updateWebhook(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateWebhookInput,
  ): Promise<WebhookView> {
    return this.webhooksService.update(principal, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the id of the deleted webhook.' })
  async deleteWebhook(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.webhooksService.remove(principal, id);
    return id;
  }

  @Mutation(() => WebhookWithSecretView, { description: 'A new secret, returned once; the previous one keeps signing beside it for 24 hours.' })
  rotateWebhookSecret(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<WebhookWithSecretView> {
    return this.webhooksService.rotateSecret(principal, id);
  }

  @Mutation(() => WebhookDeliveryView, { description: 'Sends a webhook.ping to this endpoint only.' })
  testWebhook(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<WebhookDeliveryView> {
    return this.deliveries.sendPing(principal, id);
  }

  @Mutation(() => WebhookDeliveryView)
  redeliverWebhookDelivery(
    @CurrentPrincipal() principal: Principal,
    @Args('webhookId', { type: () => ID }, IdParamPipe) webhookId: string,
    @Args('deliveryId', { type: () => ID }, IdParamPipe) deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.deliveries.redeliver(principal, webhookId, deliveryId);
  }
}
