import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryAttempts } from './delivery/delivery-attempts';
import { DeliveryQueueRepository } from './delivery/delivery-queue.repository';
import { EndpointClient } from './delivery/endpoint-client';
import { DeliveryLogService } from './delivery-log/delivery-log.service';
import { WebhookDispatcher } from './dispatcher/webhook-dispatcher';
import { EndpointGuard } from './endpoint-guard';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './entities/webhook-subscription.entity';
import { FanOut } from './fan-out/fan-out';
import { FanOutRepository } from './fan-out/fan-out.repository';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSecretsResealer } from './webhook-secrets.resealer';
import { WebhooksController } from './webhooks.controller';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookMetricsRepository } from './webhook-metrics.repository';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookSubscriptionEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity])],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    DeliveryLogService,
    WebhooksRepository,
    WebhooksResolver,
    EndpointGuard,
    WebhookSecrets,
    WebhookSecretsResealer,
    FanOutRepository,
    FanOut,
    DeliveryQueueRepository,
    DeliveryAttempts,
    WebhookDispatcher,
    WebhookMetricsRepository,
    WebhookMetrics,
    {
      provide: EndpointClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new EndpointClient({
          timeoutMs: config.webhooks.timeoutMs,
          allowPrivateAddresses: config.webhooks.allowPrivateAddresses,
          maxSocketsPerEndpoint: config.webhooks.maxConcurrentPerEndpoint,
          maxSockets: config.webhooks.maxConcurrentDeliveries,
        }),
    },
  ],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
