import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: WebhookListView })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<WebhookView>> {
    return this.webhooks.list(principal, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  @Post()
  @ApiCreatedResponse({ type: WebhookWithSecretView, description: 'The signing secret is returned once, in this response only.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateWebhookInput): Promise<WebhookWithSecretView> {
    return this.webhooks.create(principal, input);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateWebhookInput): Promise<WebhookView> {
    return this.webhooks.update(principal, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its delivery log; nothing more is sent to it.' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.webhooks.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookWithSecretView, description: 'The new secret, returned once. The previous one keeps signing beside it for 24 hours.' })
  rotateSecret(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<WebhookWithSecretView> {
    return this.webhooks.rotateSecret(principal, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookDeliveryView, description: 'A webhook.ping delivery to this endpoint only, sent at once; follow it in the delivery log.' })
  test(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<WebhookDeliveryView> {
    return this.deliveries.sendPing(principal, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: WebhookDeliveryListView, description: 'Newest first, each with its attempts.' })
  listDeliveries(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() query: WebhookDeliveryQuery): Promise<Page<WebhookDeliveryView>> {
    return this.deliveries.list(principal, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
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
