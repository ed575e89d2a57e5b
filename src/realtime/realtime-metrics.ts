import { Injectable, OnModuleInit } from '@nestjs/common';
import { Metrics } from '../health/metrics/metrics';
import { RealtimeHub } from './hub/realtime-hub';
import { OpenStreams } from './stream/open-streams';

/** Live connections held by this instance: each costs memory and a share of every committed event's fan-out. */
@Injectable()
export class RealtimeMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly streams: OpenStreams,
    private readonly hub: RealtimeHub,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge({
      name: 'deskline_event_streams_open',
      help: 'Server-sent event streams (GET /v1/events/stream) open on this instance.',
      read: () => Promise.resolve([{ value: this.streams.size }]),
    });
    this.metrics.gauge({
      name: 'deskline_realtime_subscriptions',
      help: 'Live feed subscriptions on this instance: event streams, GraphQL subscriptions and long-polls waiting.',
      read: () => Promise.resolve([{ value: this.hub.subscriptionCount }]),
    });
  }
}
