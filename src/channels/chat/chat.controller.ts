import { Body, Controller, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @AdminOnly()
  @ApiCreatedResponse({ type: ChatIntakeResultView, description: '201 with the new ticket; 200 duplicate when this transcriptId was imported before.' })
  async transcript(@CurrentPrincipal() principal: Principal, @Body() input: ChatTranscriptInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChatIntakeResultView> {
    const result = await this.chat.importTranscript(principal, input);
    void reply.status(status(result));
    return result;
  }

  @Post('chat-messages/convert')
  @AdminOnly()
  @ApiCreatedResponse({ type: ChatIntakeResultView, description: '201 with the new ticket; 200 duplicate for a message converted before.' })
  async convert(@CurrentPrincipal() principal: Principal, @Body() input: ConvertChatMessageInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChatIntakeResultView> {
    const result = await this.chat.convert(principal, input);
    void reply.status(status(result));
    return result;
  }

  @Post('chat-messages/inbound')
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
  @ApiCreatedResponse({ type: EscalationView, description: 'Emits ticket.escalated for the chat integration to open a thread.' })
  create(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: CreateEscalationInput): Promise<EscalationView> {
    return this.chat.escalate(principal, id, input);
  }

  @Patch(':escalationId')
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
