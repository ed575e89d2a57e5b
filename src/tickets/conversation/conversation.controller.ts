import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { PageQuery } from '../../common/dto/list-query.dto';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Page } from '../../common/pagination/cursor';
import { AddMessageInput, ListMessagesQuery, MessageListView, MessageView } from '../dto/message.dto';
import { TicketEventListView, TicketEventView } from '../dto/ticket-event.dto';
import { ConversationService } from './conversation.service';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets/:id')
export class ConversationController {
  constructor(private readonly conversation: ConversationService) {}

  @Post('messages')
  @ApiConflictResponse({ description: 'ticket_closed: a helpdesk message on a closed ticket (only the requester\'s message opens a follow-up).' })
  @ApiForbiddenResponse({ description: 'authorContactId was sent by a caller without the admin role.' })
  @ApiOperation({
    summary: 'Add a message to a ticket',
    description:
      'Any agent or admin. A public reply by the helpdesk moves a new ticket to open and counts as the first response; visibility internal adds a note only agents see, which changes nothing else. authorContactId (admins only, 403 otherwise) posts as the ticket\'s requester: that reopens a pending or resolved ticket, and on a closed ticket opens a linked follow-up ticket that the message belongs to. Helpdesk messages on a closed ticket answer 409 ticket_closed. html is sanitised (scripts, styles and event handlers removed). Send Idempotency-Key to retry safely. Emits ticket.message_created (and ticket.status_changed when the status moved).',
  })
  @ApiCreatedResponse({
    type: MessageView,
    description: "The message. A requester's message on a closed ticket opens a linked follow-up ticket: the message's ticketId is the new ticket.",
  })
  async add(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: AddMessageInput): Promise<MessageView> {
    return (await this.conversation.addMessage(principal, id, input)).message;
  }

  @Get('messages')
  @ApiOperation({
    summary: 'List a ticket\'s messages',
    description:
      'Any agent or admin. Public replies and internal notes in conversation order (sequence), with attachments and delivery state, paged with limit and cursor.',
  })
  @ApiOkResponse({ type: MessageListView, description: 'In conversation order (sequence).' })
  list(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() query: ListMessagesQuery): Promise<Page<MessageView>> {
    return this.conversation.listMessages(principal, id, query);
  }

  @Get('events')
  @ApiOperation({
    summary: 'List a ticket\'s history',
    description:
      'Any agent or admin. Every change to the ticket, oldest first, with who made it and the fields before and after: the same events webhooks deliver, numbered by sequence. Paged with limit and cursor.',
  })
  @ApiOkResponse({ type: TicketEventListView, description: 'Every change to the ticket, oldest first.' })
  events(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<Page<TicketEventView>> {
    return this.conversation.listEvents(principal, id, page);
  }
}
