import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiGoneResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { FeedPageView, ListEventsQuery, StreamEventsQuery } from './dto/event-feed.dto';
import { EventFeedService } from './feed/event-feed.service';
import { lastEventId, SSE_RESPONSE_DESCRIPTION, SSE_SCHEMA } from './stream/stream-contract';
import { EventStreamsService } from './stream/event-streams.service';

@ApiTags('Events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly feed: EventFeedService, private readonly streams: EventStreamsService) {}

  @Get()
  @ApiOperation({
    summary: 'Read the event feed',
    description:
      'Any agent or admin. The workspace\'s events in commit order, in the webhook envelope plus each event\'s `cursor`. Continue with `after=<nextCursor>`: ' +
      'no event is ever skipped or repeated, and a ticket\'s events come in the order of their `sequence`. `wait` long-polls. ' +
      'Events are kept EVENT_RETENTION_DAYS days; a cursor from before that answers 410 (resynchronise, then follow on from `oldestCursor`).',
  })
  @ApiGoneResponse({ description: 'Gone (cursor_expired): events after this cursor were deleted by retention (EVENT_RETENTION_DAYS); `oldestCursor` is where the kept events begin. Resynchronise, then follow on from there.' })
  @ApiOkResponse({ type: FeedPageView })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListEventsQuery): Promise<FeedPageView> {
    return this.feed.list(principal, query);
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Stream events (server-sent events)',
    description:
      'Any agent or admin. A `text/event-stream` of the workspace\'s events as they commit, each with `id:` its cursor; `Last-Event-ID` (sent by EventSource on reconnect) ' +
      'or `after` resumes with nothing lost or repeated. A comment heartbeat comes every STREAM_HEARTBEAT_MS. Also `presence.changed` messages without an id. ' +
      'The stream ends with a `stream.closed` event when its credential is revoked or expires, or the server shuts down. EventSource cannot send headers: ' +
      'pass a short-lived access token as the `access_token` query parameter, which the server moves to the Authorization header before routing and logging (accepted on the two stream routes only).',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: resume after it.', schema: { type: 'string', maxLength: 18, pattern: '^(0|[1-9][0-9]{0,17})$' } })
  @ApiGoneResponse({ description: 'Gone (cursor_expired): events after this cursor were deleted by retention (EVENT_RETENTION_DAYS); `oldestCursor` is where the kept events begin. Resynchronise, then follow on from there.' })
  @ApiOkResponse({ description: SSE_RESPONSE_DESCRIPTION, content: { 'text/event-stream': { schema: SSE_SCHEMA, example: 'id: 1025\nevent: ticket.updated\ndata: {"cursor":"1025","id":"…","type":"ticket.updated","data":{…}}\n\n' } } })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StreamEventsQuery,
    @Headers('last-event-id') lastEvent: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const credential = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization))![1];
    const after = lastEventId(lastEvent) ?? query.after ?? null;
    await this.streams.openForAgent(principal, credential, { after, types: query.types, ticketId: query.ticketId ?? null }, reply);
  }
}
