import { Body, Controller, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { ChatIntakeResultView, ChatTranscriptInput, ConvertChatMessageInput, CreateEscalationInput, EscalationView, ThreadMessageInput, UpdateEscalationInput } from './chat.dto';
import { ChatService } from './chat.service';

const status = (result: ChatIntakeResultView) => (result.outcome === 'created' ? 201 : 200);

@ApiTags('Channels')
@ApiBearerAuth()
@Controller('v1/channels')
export class ChatChannelsController {
  constructor(private readonly chat: ChatService) {}

  @Post('chat/transcripts')
  @ApiOperation({
    summary: 'Import a chat transcript',
    description:
      'Admins only: for chat integrations. Turns a finished chat (visitor, messages with their authors and times) into a ticket with its conversation: 201 with the new ticket. The same transcriptId again answers 200 duplicate and creates nothing.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: ChatIntakeResultView, description: '201 with the new ticket; 200 duplicate when this transcriptId was imported before.' })
  async transcript(@CurrentPrincipal() principal: Principal, @Body() input: ChatTranscriptInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChatIntakeResultView> {
    const result = await this.chat.importTranscript(principal, input);
    void reply.status(status(result));
    return result;
  }

  @Post('chat-messages/convert')
  @ApiOperation({
    summary: 'Convert a chat message to a ticket',
    description:
      'Admins only: for team-chat integrations. Opens a ticket from a message posted in a chat platform, its author as the requester: 201 with the new ticket; a message converted before answers 200 duplicate.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: ChatIntakeResultView, description: '201 with the new ticket; 200 duplicate for a message converted before.' })
  async convert(@CurrentPrincipal() principal: Principal, @Body() input: ConvertChatMessageInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChatIntakeResultView> {
    const result = await this.chat.convert(principal, input);
    void reply.status(status(result));
    return result;
  }

  @Post('chat-messages/inbound')
  @ApiOperation({
    summary: 'Record a reply from an escalation thread',
    description:
      'Admins only: for team-chat integrations. A message in the chat thread of an escalated ticket is recorded as an internal note on that ticket: 201; a message seen before answers 200 duplicate. 404 when no escalation has that thread.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: ChatIntakeResultView, description: 'Recorded as an internal note on the escalated ticket; 200 duplicate for a message seen before.' })
  async inbound(@CurrentPrincipal() principal: Principal, @Body() input: ThreadMessageInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChatIntakeResultView> {
    const result = await this.chat.threadMessage(principal, input);
    void reply.status(status(result));
    return result;
  }
}

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets/:id/escalations')
export class EscalationsController {
  constructor(private readonly chat: ChatService) {}

  @Post()
  @ApiOperation({
    summary: 'Escalate a ticket to a team chat',
    description:
      'Any agent or admin. Records an escalation of the ticket to a chat platform channel and emits ticket.escalated, for the chat integration to open a thread there and report it with PATCH .../escalations/{escalationId}. Send Idempotency-Key to retry safely.',
  })
  @ApiCreatedResponse({ type: EscalationView, description: 'Emits ticket.escalated for the chat integration to open a thread.' })
  create(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: CreateEscalationInput): Promise<EscalationView> {
    return this.chat.escalate(principal, id, input);
  }

  @Patch(':escalationId')
  @ApiOperation({
    summary: 'Report an escalation\'s chat thread',
    description:
      'Any agent or admin (in practice the chat integration). Sets the thread id the integration opened, so later thread messages (POST /v1/channels/chat-messages/inbound) find their ticket.',
  })
  @ApiOkResponse({ type: EscalationView })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Param('escalationId', IdParamPipe) escalationId: string,
    @Body() input: UpdateEscalationInput,
  ): Promise<EscalationView> {
    return this.chat.setThread(principal, id, escalationId, input);
  }
}
