import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { TicketsModule } from '../../tickets/tickets.module';
import { RealtimeModule } from '../realtime.module';
import { FeedSubscriptionsResolver } from './feed-subscriptions.resolver';
import { FeedSubscriptionsService } from './feed-subscriptions.service';
import { GraphqlWsServer } from './graphql-ws.server';

/** The graphql-ws transport, and the subscriptions over the event feed (presence has its own in presence/). */
@Module({
  imports: [AuthModule, RealtimeModule, TicketsModule],
  providers: [GraphqlWsServer, FeedSubscriptionsService, FeedSubscriptionsResolver],
  exports: [GraphqlWsServer],
})
export class SubscriptionsModule {}
