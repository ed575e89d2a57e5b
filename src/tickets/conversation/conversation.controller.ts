import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiCreatedResponse({
    type: MessageView,
    description: "The message. A requester's message on a closed ticket opens a linked follow-up ticket: the message's ticketId is the new ticket.",
  })
  async add(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: AddMessageInput): Promise<MessageView> {
    return (await this.conversation.addMessage(principal, id, input)).message;
  }

  @Get('messages')
  @ApiOkResponse({ type: MessageListView, description: 'In conversation order (sequence).' })
  list(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() query: ListMessagesQuery): Promise<Page<MessageView>> {
    return this.conversation.listMessages(principal, id, query);
  }

  @Get('events')
  @ApiOkResponse({ type: TicketEventListView, description: 'Every change to the ticket, oldest first.' })
  events(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<Page<TicketEventView>> {
    return this.conversation.listEvents(principal, id, page);
  }
}
