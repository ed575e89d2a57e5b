import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PortalModule } from '../channels/portal/portal.module';
import { StreamAccess } from './access/stream-access';
import { EventsController } from './events.controller';
import { EventsResolver } from './events.resolver';
import { EventFeedService } from './feed/event-feed.service';
import { RealtimeHub } from './hub/realtime-hub';
import { RealtimeNotificationsRepository } from './hub/realtime-notifications.repository';
import { PortalEventsController } from './portal-events.controller';
import { EventRetention } from './retention/event-retention';
import { EventStreamsService } from './stream/event-streams.service';
import { OpenStreams } from './stream/open-streams';

/**
 * The event feed, its live streams and the hub under them. It reads the outbox (src/events) like the webhooks do and is
 * never called by them; RealtimeHub is exported for the GraphQL subscriptions and presence built on it.
 */
import { RealtimeMetrics } from './realtime-metrics';

@Module({
  imports: [AuthModule, PortalModule],
  controllers: [EventsController, PortalEventsController],
  providers: [RealtimeHub, RealtimeNotificationsRepository, EventFeedService, EventStreamsService, StreamAccess, OpenStreams, EventRetention, EventsResolver, RealtimeMetrics],
  exports: [RealtimeHub, EventFeedService, OpenStreams],
})
export class RealtimeModule {}
