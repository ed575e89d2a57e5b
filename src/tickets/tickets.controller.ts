import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { CreateTicketInput, MergeTicketsInput, TicketListView, TicketView, UpdateTicketInput } from './dto/ticket.dto';
import { MAX_IF_MATCH, parseIfMatch } from './if-match';
import { TicketsService } from './tickets.service';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('tickets')
  @ApiOperation({
    summary: 'List tickets',
    description:
      'Any agent or admin. Filter by status, priority and type (one or more each), assignee, team, requester, tag, created/updated time ranges and SLA due time, or narrow with q in search-box syntax. sort defaults to -createdAt (a leading - sorts descending); limit 1 to 100, default 25; pass nextCursor back as cursor for the next page.',
  })
  @ApiOkResponse({ type: TicketListView })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTicketsQuery): Promise<Page<TicketView>> {
    return this.tickets.list(principal, query);
  }

  @Post('tickets')
  @ApiOperation({
    summary: 'Create a ticket',
    description:
      'Any agent or admin. Opens a ticket with its first public message from the requester: an existing contact by requester.id, or one found by email (case-insensitively) or created. With teamId and no assigneeId, the team\'s assignment strategy picks the assignee in the same transaction; an assigned ticket starts open, an unassigned one new. assigneeId and teamId must exist in the workspace (422 naming the field). Send Idempotency-Key to retry safely. The response carries the ETag for a later If-Match. Emits ticket.created and ticket.message_created (and ticket.assigned when someone got it).',
  })
  @ApiCreatedResponse({ type: TicketView, description: 'The ticket, with an ETag header.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateTicketInput): Promise<TicketView> {
    return this.tickets.create(principal, input);
  }

  @Get('tickets/:id')
  @ApiOperation({
    summary: 'Get a ticket',
    description:
      'Any agent or admin. The ticket with its requester, assignee, team and SLA state. The ETag header is the ticket\'s version: send it as If-Match on PATCH to update without overwriting someone else\'s change.',
  })
  @ApiOkResponse({ type: TicketView, description: 'The ticket, with an ETag header for If-Match.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<TicketView> {
    return this.tickets.get(principal, id);
  }

  @Patch('tickets/:id')
  @ApiConflictResponse({ description: 'ticket_closed: the ticket is closed and cannot change; invalid_transition: the lifecycle does not allow this status move (`allowed` lists the statuses it does).' })
  @ApiOperation({
    summary: 'Update a ticket',
    description:
      'Any agent or admin. Changes only the fields sent, in one transaction with one grouped set of events. Status moves follow the lifecycle: new may move anywhere but never returns to new; resolved may only reopen (open) or close; closed is final (409 ticket_closed for any change; a requester\'s reply opens a follow-up instead). A move the lifecycle does not allow answers 409 invalid_transition with the allowed statuses. Optional If-Match with the ETag of your last read: a stale one answers 412 and nothing is written. assigneeId and teamId must exist in the workspace (422). Emits ticket.updated, ticket.status_changed and ticket.assigned as they apply.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag of your last read; a stale one answers 412 and nothing is written.',
    schema: { type: 'string', maxLength: MAX_IF_MATCH, example: '"3"' },
  })
  @ApiOkResponse({ type: TicketView })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Body() input: UpdateTicketInput,
    @Headers('if-match') ifMatch?: string,
  ): Promise<TicketView> {
    return this.tickets.update(principal, id, input, parseIfMatch(ifMatch));
  }

  @Post('tickets/:id/merge')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'ticket_closed: the target (or a source) is closed; already_merged: a source was already merged into another ticket.' })
  @ApiUnprocessableEntityResponse({ description: 'sourceIds is empty, has more than 20 ids, repeats one, includes the target itself, or names a ticket not in the workspace.' })
  @ApiOperation({
    summary: 'Merge tickets into this one',
    description:
      'Any agent or admin. Merges up to 20 source tickets into the target (this ticket), in one transaction: each source is closed with mergedIntoId set and gets an internal note linking the target; the target gets copies of the sources\' messages after its own (in their original order, keeping their times, each with mergedFrom naming the ticket and number it came from), the sources\' requesters and CCs as CCs, and an internal note naming the sources (with comment, when given). Later email replies to a source\'s thread land on the target. A closed target or source answers 409 ticket_closed, a source already merged 409 already_merged; the target among the sources, or a source not in the workspace, 422 naming sourceIds. Send Idempotency-Key to retry safely. Emits ticket.merged and ticket.message_created on the target, and ticket.status_changed and ticket.message_created on each source.',
  })
  @ApiOkResponse({ type: TicketView, description: 'The target ticket after the merge.' })
  merge(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: MergeTicketsInput): Promise<TicketView> {
    return this.tickets.merge(principal, id, input);
  }

  @Get('organizations/:id/tickets')
  @ApiOperation({
    summary: "List an organization's tickets",
    description:
      'Any agent or admin. The tickets that carry the organization (their requester\'s when opened, or set since), newest first, paged with limit and cursor. 404 when the organization is not in the workspace.',
  })
  @ApiTags('Organizations')
  @ApiOkResponse({ type: TicketListView, description: "The organization's tickets, newest first." })
  listForOrganization(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<Page<TicketView>> {
    return this.tickets.listForOrganization(principal, id, page);
  }

  @Get('contacts/:id/tickets')
  @ApiOperation({
    summary: 'List a contact\'s tickets',
    description:
      'Any agent or admin. The tickets the contact is the requester of, newest first, paged with limit and cursor. 404 when the contact is not in the workspace.',
  })
  @ApiTags('Contacts')
  @ApiOkResponse({ type: TicketListView, description: "The contact's tickets, newest first." })
  listForContact(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<Page<TicketView>> {
    return this.tickets.listForRequester(principal, id, page);
  }
}
