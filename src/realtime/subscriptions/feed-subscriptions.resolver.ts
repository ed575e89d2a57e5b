import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { EventEdge, EventFilterInput } from '../dto/event-feed.dto';
import { FeedEvent } from '../hub/realtime-hub';
import { FeedSubscriptionsService, toEventEdge } from './feed-subscriptions.service';

@Resolver()
export class FeedSubscriptionsResolver {
  constructor(private readonly subscriptions: FeedSubscriptionsService) {}

  @Subscription(() => EventEdge, {
    name: 'events',
    description:
      'The workspace\'s events in commit order, as they commit, each with its cursor. Pass the last cursor you received as after ' +
      'to resume after a disconnect: nothing is skipped or repeated. Without after: from now on. Over WebSocket (graphql-ws) only.',
    resolve: (event: FeedEvent) => toEventEdge(event),
  })
  watchEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => EventFilterInput, nullable: true }) filter?: EventFilterInput,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AsyncIterableIterator<FeedEvent>> {
    return this.subscriptions.events(principal, filter, after ?? null);
  }

  @Subscription(() => TicketView, {
    name: 'ticket',
    description: 'The ticket now, then its new state after every committed change to it. Over WebSocket (graphql-ws) only.',
    resolve: (ticket: TicketView) => ticket,
  })
  watchTicket(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<AsyncIterableIterator<TicketView>> {
    return this.subscriptions.ticket(principal, id);
  }
}
