import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { RateTicketInput, SatisfactionRatingView } from '../../satisfaction/dto/satisfaction.dto';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/auth.decorators';
import { PageQuery } from '../../common/dto/list-query.dto';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import {
  PortalCreateTicketInput, PortalListTicketsQuery, PortalMessageInput, PortalMessageListView, PortalPostedMessageView, PortalSearchQuery, PortalSearchResultsView,
  PortalTicketListView, PortalTicketView,
} from './dto/portal.dto';
import { PortalGuard } from './portal.guard';
import { CurrentPortalSession, PortalSession } from './portal-session';
import { PortalTicketsService } from './portal-tickets.service';

/** @Public keeps the global guard (API keys, agent tokens) out; the PortalGuard admits portal tokens only. */
@ApiTags('Customer portal')
@ApiBearerAuth()
@Public()
@UseGuards(PortalGuard)
@Controller('v1/portal/tickets')
export class PortalTicketsController {
  constructor(private readonly portal: PortalTicketsService) {}

  @Get()
  @ApiOperation({
    summary: 'List the requester\'s own tickets (portal)',
    description:
      'Portal token only (API keys and agent tokens get 401). The requester\'s own tickets and those they are copied on (CC), newest first, optionally by status; paged with limit and cursor.',
  })
  @ApiOkResponse({ type: PortalTicketListView })
  list(@CurrentPortalSession() session: PortalSession, @Query() query: PortalListTicketsQuery): Promise<PortalTicketListView> {
    return this.portal.list(session, query);
  }

  @Post()
  @ApiOperation({
    summary: 'Open a request (portal)',
    description:
      'Portal token only. Opens a ticket with its first message as the requester, on the portal channel. Send Idempotency-Key to retry safely.',
  })
  @ApiCreatedResponse({ type: PortalTicketView })
  create(@CurrentPortalSession() session: PortalSession, @Body() input: PortalCreateTicketInput): Promise<PortalTicketView> {
    return this.portal.create(session, input);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one of the requester\'s tickets (portal)', description: 'Portal token only. 404 for any ticket that is neither the requester\'s own nor one they are copied on (CC).' })
  @ApiOkResponse({ type: PortalTicketView })
  get(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string): Promise<PortalTicketView> {
    return this.portal.get(session, id);
  }

  @Get(':id/messages')
  @ApiOperation({
    summary: 'List a ticket\'s public conversation (portal)',
    description:
      'Portal token only. The public messages, oldest first; internal notes are never listed. Paged with limit and cursor.',
  })
  @ApiOkResponse({ type: PortalMessageListView })
  messages(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<PortalMessageListView> {
    return this.portal.listMessages(session, id, page);
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: 'Reply as the requester (portal)',
    description:
      'Portal token only. The requester, or a contact copied on the ticket (CC), recorded as the author. Reopens a pending or resolved ticket; on a closed one, opens a linked follow-up ticket that the message belongs to. Send Idempotency-Key to retry safely.',
  })
  @ApiCreatedResponse({ type: PortalPostedMessageView })
  addMessage(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string, @Body() input: PortalMessageInput): Promise<PortalPostedMessageView> {
    return this.portal.addMessage(session, id, input);
  }

  @Post(':id/resolve')
  @ApiConflictResponse({ description: 'ticket_closed: the ticket is already closed.' })
  @ApiOperation({ summary: 'Mark the request solved (portal)', description: 'Portal token only. Moves the requester\'s ticket to resolved; 409 when it is already closed.' })
  @HttpCode(200)
  @ApiOkResponse({ type: PortalTicketView })
  resolve(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string): Promise<PortalTicketView> {
    return this.portal.resolve(session, id);
  }

  @Post(':id/satisfaction')
  @ApiConflictResponse({ description: 'ticket_not_resolved, or already_rated for this resolution.' })
  @ApiOperation({
    summary: 'Rate a resolved request (portal)',
    description:
      'Portal token only. good or bad, with an optional comment, once per resolution: 409 ticket_not_resolved before it is resolved, 409 already_rated after. Emits ticket.satisfaction_rated.',
  })
  @ApiCreatedResponse({ type: SatisfactionRatingView })
  rate(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string, @Body() input: RateTicketInput): Promise<SatisfactionRatingView> {
    return this.portal.rate(session, id, input);
  }
}

@ApiTags('Customer portal')
@ApiBearerAuth()
@Public()
@UseGuards(PortalGuard)
@Controller('v1/portal/search')
export class PortalSearchController {
  constructor(private readonly portal: PortalTicketsService) {}

  @Get()
  @ApiOperation({
    summary: 'Search the requester\'s own tickets (portal)',
    description:
      'Portal token only. Full-text search over the requester\'s own tickets and their public conversation; internal notes are never searched. Paged with cursor.',
  })
  @ApiOkResponse({ type: PortalSearchResultsView })
  search(@CurrentPortalSession() session: PortalSession, @Query() query: PortalSearchQuery): Promise<PortalSearchResultsView> {
    return this.portal.searchOwn(session, query);
  }
}
