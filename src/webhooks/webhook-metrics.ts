import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EventFeedStore } from '../events/event-feed';
import { Metrics, oncePerScrape } from '../health/metrics/metrics';
import { ReadinessParts } from '../health/metrics/readiness';
import { FanOutRepository } from './fan-out/fan-out.repository';
import { WebhookMetricsRepository } from './webhook-metrics.repository';

/**
 * The webhook pipeline as an operator watches it: events not yet fanned out to deliveries, deliveries waiting by
 * endpoint state and the age of the oldest, deliveries given up. The oldest pending delivery is the outbox lag a
 * consumer feels; past READY_BACKLOG_SECONDS `GET /health/ready` reports webhooks as degraded.
 */
@Injectable()
export class WebhookMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly readiness: ReadinessParts,
    private readonly repository: WebhookMetricsRepository,
    private readonly fanOut: FanOutRepository,
    private readonly feed: EventFeedStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const pending = oncePerScrape(() => this.repository.pending());
    this.metrics.gauge({
      name: 'deskline_webhook_endpoints',
      help: 'Webhook subscriptions by state: healthy, failing (deliveries being retried) or disabled.',
      labelNames: ['state'],
      read: async () => (await this.repository.endpoints()).map((row) => ({ labels: { state: row.state }, value: row.count })),
    });
    this.metrics.gauge({
      name: 'deskline_webhook_deliveries_pending',
      help: 'Webhook deliveries waiting for a (next) attempt, by their endpoint\'s state.',
      labelNames: ['endpoint_state'],
      read: async () => (await pending()).map((row) => ({ labels: { endpoint_state: row.state }, value: row.count })),
    });
    this.metrics.gauge({
      name: 'deskline_webhook_oldest_pending_seconds',
      help: 'Age of the oldest undelivered webhook delivery, by its endpoint\'s state (0 when none waits).',
      labelNames: ['endpoint_state'],
      read: async () => (await pending()).map((row) => ({ labels: { endpoint_state: row.state }, value: row.oldestSeconds })),
    });
    this.metrics.gauge({
      name: 'deskline_webhook_deliveries_failed_last_hour',
      help: 'Webhook deliveries given up (retries exhausted or endpoint gone) in the last hour, by their endpoint\'s state.',
      labelNames: ['endpoint_state'],
      read: async () => (await this.repository.failedLastHour()).map((row) => ({ labels: { endpoint_state: row.state }, value: row.count })),
    });
    this.metrics.gauge({
      name: 'deskline_webhook_fanout_backlog_events',
      help: 'Committed events of subscribed workspaces not yet turned into webhook deliveries.',
      read: async () => [{ value: await this.fanOutBacklog() }],
    });
    this.readiness.add('webhooks', async () => {
      const oldest = Math.max(0, ...(await this.repository.pending()).filter((row) => row.state === 'healthy').map((row) => row.oldestSeconds));
      const limit = this.config.observability.readyBacklogSeconds;
      return oldest > limit
        ? { status: 'degraded', detail: `the oldest pending delivery to a healthy endpoint is ${Math.round(oldest)} s old (READY_BACKLOG_SECONDS=${limit})` }
        : { status: 'ok' };
    });
  }

  private async fanOutBacklog(): Promise<number> {
    const cursors = await this.fanOut.cursorsOfSubscribedWorkspaces();
    const heads = await this.feed.heads(cursors.map((cursor) => cursor.workspaceId));
    return cursors.reduce((sum, cursor) => sum + Math.max(0, Number(heads.get(cursor.workspaceId) ?? '0') - Number(cursor.position)), 0);
  }
}
