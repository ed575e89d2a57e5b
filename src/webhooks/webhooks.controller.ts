import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { DeliveryLogService } from './delivery-log/delivery-log.service';
import { WebhookDeliveryListView, WebhookDeliveryQuery, WebhookDeliveryView } from './dto/webhook-delivery.dto';
import { CreateWebhookInput, UpdateWebhookInput, WebhookListView, WebhookView, WebhookWithSecretView } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('Webhooks')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService, private readonly deliveries: DeliveryLogService) {}

  @Get()
  @ApiOperation({
    summary: 'List webhooks',
    description:
      'Admins only. The workspace\'s webhook subscriptions, with whether each is enabled and why not; never their secrets. Paged with limit and cursor.',
  })
  @ApiOkResponse({ type: WebhookListView })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<WebhookView>> {
    return this.webhooks.list(principal, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook', description: 'Admins only. 404 for a webhook of another workspace.' })
  @ApiOkResponse({ type: WebhookView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Subscribe a webhook',
    description:
      'Admins only. url receives a signed POST (Standard Webhooks headers) per event of the listed types, or of all with "*"; redirects are not followed. The signing secret is returned in this response only. Deliveries are retried with backoff; an endpoint answering 410 Gone, or failing for WEBHOOK_DISABLE_AFTER_DAYS, is disabled (webhook.disabled). Send Idempotency-Key to retry safely.',
  })
  @ApiCreatedResponse({ type: WebhookWithSecretView, description: 'The signing secret is returned once, in this response only.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateWebhookInput): Promise<WebhookWithSecretView> {
    return this.webhooks.create(principal, input);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a webhook',
    description:
      'Admins only. Changes only the fields sent. enabled=true resumes a disabled webhook and its paused deliveries; enabled=false pauses it.',
  })
  @ApiOkResponse({ type: WebhookView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateWebhookInput): Promise<WebhookView> {
    return this.webhooks.update(principal, id, input);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook', description: 'Admins only. Deleted with its delivery log; nothing more is sent to it.' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its delivery log; nothing more is sent to it.' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.webhooks.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @ApiOperation({
    summary: 'Rotate a webhook\'s signing secret',
    description:
      'Admins only. Returns the new secret, once. The previous secret keeps signing beside it (two signatures per message) for 24 hours, so the receiver can switch without losing messages.',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookWithSecretView, description: 'The new secret, returned once. The previous one keeps signing beside it for 24 hours.' })
  rotateSecret(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<WebhookWithSecretView> {
    return this.webhooks.rotateSecret(principal, id);
  }

  @Post(':id/test')
  @ApiOperation({
    summary: 'Send a test event to a webhook',
    description:
      'Admins only. Sends a webhook.ping to this endpoint only, at once and never retried; follow the outcome in its delivery log.',
  })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookDeliveryView, description: 'A webhook.ping delivery to this endpoint only, sent at once; follow it in the delivery log.' })
  test(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<WebhookDeliveryView> {
    return this.deliveries.sendPing(principal, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'List a webhook\'s deliveries',
    description:
      'Admins only. Newest first, each with its attempts; filter by status. Paged with limit and cursor.',
  })
  @ApiOkResponse({ type: WebhookDeliveryListView, description: 'Newest first, each with its attempts.' })
  listDeliveries(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() query: WebhookDeliveryQuery): Promise<Page<WebhookDeliveryView>> {
    return this.deliveries.list(principal, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @ApiConflictResponse({ description: 'webhook_disabled: the webhook is disabled; enable it first (PATCH enabled=true).' })
  @ApiOperation({
    summary: 'Redeliver a webhook delivery',
    description:
      'Admins only. Queues the delivery again with a fresh retry schedule and the same webhook-id, so receivers that deduplicate still see it once. A disabled webhook answers 409 webhook_disabled: enable it first.',
  })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookDeliveryView, description: 'Queued again with a fresh retry schedule and the same webhook-id.' })
  redeliver(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Param('deliveryId', IdParamPipe) deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.deliveries.redeliver(principal, id, deliveryId);
  }
}
