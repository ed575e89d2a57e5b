import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { RateTicketInput, SatisfactionRatingView } from '../../satisfaction/dto/satisfaction.dto';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: "The requester's own tickets, newest first (portal token)" })
  @ApiOkResponse({ type: PortalTicketListView })
  list(@CurrentPortalSession() session: PortalSession, @Query() query: PortalListTicketsQuery): Promise<PortalTicketListView> {
    return this.portal.list(session, query);
  }

  @Post()
  @ApiOperation({ summary: 'Open a request as the requester (portal token)' })
  @ApiCreatedResponse({ type: PortalTicketView })
  create(@CurrentPortalSession() session: PortalSession, @Body() input: PortalCreateTicketInput): Promise<PortalTicketView> {
    return this.portal.create(session, input);
  }

  @Get(':id')
  @ApiOperation({ summary: "One of the requester's tickets; 404 for any other (portal token)" })
  @ApiOkResponse({ type: PortalTicketView })
  get(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string): Promise<PortalTicketView> {
    return this.portal.get(session, id);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'The public conversation, oldest first; internal notes are never listed (portal token)' })
  @ApiOkResponse({ type: PortalMessageListView })
  messages(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<PortalMessageListView> {
    return this.portal.listMessages(session, id, page);
  }

  @Post(':id/messages')
  @ApiOperation({ summary: 'Reply as the requester: reopens a pending or resolved ticket; on a closed one, opens a follow-up (portal token)' })
  @ApiCreatedResponse({ type: PortalPostedMessageView })
  addMessage(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string, @Body() input: PortalMessageInput): Promise<PortalPostedMessageView> {
    return this.portal.addMessage(session, id, input);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the request solved (portal token); 409 when it is already closed' })
  @ApiOkResponse({ type: PortalTicketView })
  resolve(@CurrentPortalSession() session: PortalSession, @Param('id', IdParamPipe) id: string): Promise<PortalTicketView> {
    return this.portal.resolve(session, id);
  }

  @Post(':id/satisfaction')
  @ApiOperation({ summary: 'Rate a resolved ticket good or bad, once per resolution (portal token)' })
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
  @ApiOperation({ summary: "Search the requester's own tickets and their public conversation (portal token)" })
  @ApiOkResponse({ type: PortalSearchResultsView })
  search(@CurrentPortalSession() session: PortalSession, @Query() query: PortalSearchQuery): Promise<PortalSearchResultsView> {
    return this.portal.searchOwn(session, query);
  }
}
