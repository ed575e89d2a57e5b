import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { EventConnection, EventsArgs } from './dto/event-feed.dto';
import { EventFeedService } from './feed/event-feed.service';

@Resolver()
export class EventsResolver {
  constructor(private readonly feed: EventFeedService) {}

  @Query(() => EventConnection, { description: 'The workspace\'s events in commit order (the REST feed GET /v1/events as a connection).' })
  async events(@CurrentPrincipal() principal: Principal, @Args() args: EventsArgs): Promise<EventConnection> {
    const first = args.first ?? 50;
    // One more than asked tells whether another page exists now.
    const page = await this.feed.list(principal, { after: args.after ?? null, types: args.filter?.types, ticketId: args.filter?.ticketId, limit: first + 1 });
    const shown = page.data.slice(0, first);
    const hasNextPage = page.data.length > first;
    return {
      edges: shown.map((event) => ({
        cursor: event.cursor,
        node: { id: event.id, type: event.type, createdAt: event.createdAt, sequence: typeof event.data.sequence === 'number' ? event.data.sequence : null, data: event.data },
      })),
      pageInfo: { hasNextPage, endCursor: hasNextPage ? shown[shown.length - 1].cursor : page.nextCursor },
    };
  }
}
