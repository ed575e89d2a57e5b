import { Controller, Get, Headers, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiGoneResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { PortalGuard } from '../channels/portal/portal.guard';
import { CurrentPortalSession, PortalSession } from '../channels/portal/portal-session';
import { PortalStreamQuery } from './dto/event-feed.dto';
import { lastEventId, SSE_RESPONSE_DESCRIPTION, SSE_SCHEMA } from './stream/stream-contract';
import { EventStreamsService } from './stream/event-streams.service';

/** @Public keeps the global guard (API keys, agent tokens) out; the PortalGuard admits portal tokens only. */
@ApiTags('Customer portal')
@ApiBearerAuth()
@Public()
@UseGuards(PortalGuard)
@Controller('v1/portal/events')
export class PortalEventsController {
  constructor(private readonly streams: EventStreamsService) {}

  @Get('stream')
  @ApiOperation({
    summary: 'Stream the requester\'s ticket updates (portal, server-sent events)',
    description:
      'Portal token only. Changes to the requester\'s own tickets (and those they are copied on as a CC) as they commit: created, subject and status changes, and public messages; never internal notes or ' +
      'internal fields. `id:` is a cursor; `Last-Event-ID` or `after` resumes. EventSource cannot send headers: pass the portal token as the `access_token` query parameter (accepted on the stream routes only, never logged).',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: resume after it.', schema: { type: 'string', maxLength: 18, pattern: '^(0|[1-9][0-9]{0,17})$' } })
  @ApiGoneResponse({ description: 'Gone (cursor_expired): events after this cursor were deleted by retention (EVENT_RETENTION_DAYS); `oldestCursor` is where the kept events begin. Resynchronise, then follow on from there.' })
  @ApiOkResponse({ description: SSE_RESPONSE_DESCRIPTION, content: { 'text/event-stream': { schema: SSE_SCHEMA, example: 'id: 1025\nevent: ticket.message_created\ndata: {"cursor":"1025","type":"ticket.message_created","data":{…}}\n\n' } } })
  async stream(
    @CurrentPortalSession() session: PortalSession,
    @Query() query: PortalStreamQuery,
    @Headers('last-event-id') lastEvent: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization))![1];
    await this.streams.openForRequester(session, token, lastEventId(lastEvent) ?? query.after ?? null, reply);
  }
}
