import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { AddCcByEmailInput, TicketView } from '../dto/ticket.dto';
import { TicketParticipantsService } from './ticket-participants.service';

const CLOSED = 'ticket_closed: a closed ticket changes no more.';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets/:id')
export class TicketParticipantsController {
  constructor(private readonly participants: TicketParticipantsService) {}

  @Put('followers/:agentId')
  @ApiConflictResponse({ description: CLOSED })
  @ApiForbiddenResponse({ description: 'An agent adding someone other than themselves.' })
  @ApiOperation({
    summary: 'Follow a ticket',
    description:
      'An agent may add themselves as a follower; an admin may add any agent (403 otherwise). Followers are listed in the ticket\'s followers and in the ticket of every ticket event\'s payload, so an integration can notify them. Adding a follower twice changes nothing. 404 when the ticket or agent is not in the workspace. Emits ticket.updated with changes.followers (agent ids before and after).',
  })
  @ApiOkResponse({ type: TicketView, description: 'The ticket with its followers.' })
  follow(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('agentId', IdParamPipe) agentId: string): Promise<TicketView> {
    return this.participants.follow(principal, id, agentId);
  }

  @Delete('followers/:agentId')
  @ApiConflictResponse({ description: CLOSED })
  @ApiForbiddenResponse({ description: 'An agent removing someone other than themselves.' })
  @ApiOperation({
    summary: 'Stop following a ticket',
    description:
      'An agent may remove themselves; an admin may remove any follower (403 otherwise). Removing an agent who does not follow changes nothing. Emits ticket.updated with changes.followers.',
  })
  @ApiOkResponse({ type: TicketView, description: 'The ticket with its followers.' })
  unfollow(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('agentId', IdParamPipe) agentId: string): Promise<TicketView> {
    return this.participants.unfollow(principal, id, agentId);
  }

  @Put('ccs/:contactId')
  @ApiConflictResponse({ description: CLOSED })
  @ApiUnprocessableEntityResponse({ description: "contactId is the ticket's requester." })
  @ApiOperation({
    summary: 'Copy a contact on a ticket',
    description:
      'Any agent or admin. The contact becomes a CC: public replies sent by email go To the requester and Cc every CC, and the CC sees the ticket in the portal and may answer there (recorded with them as the author). Adding a CC twice changes nothing; the requester cannot be a CC (422). 404 when the ticket or contact is not in the workspace. Emits ticket.updated with changes.ccs (contact ids before and after).',
  })
  @ApiOkResponse({ type: TicketView, description: 'The ticket with its CCs.' })
  addCc(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('contactId', IdParamPipe) contactId: string): Promise<TicketView> {
    return this.participants.addCc(principal, id, contactId);
  }

  @Post('ccs')
  @HttpCode(200)
  @ApiConflictResponse({ description: CLOSED })
  @ApiUnprocessableEntityResponse({ description: "email is invalid, or the ticket's requester's." })
  @ApiOperation({
    summary: 'Copy someone on a ticket by email',
    description:
      'Any agent or admin. Like PUT /v1/tickets/{id}/ccs/{contactId}, for an email address: the contact is found case-insensitively, or created (with name, when given). Send Idempotency-Key to retry safely. Emits ticket.updated with changes.ccs.',
  })
  @ApiOkResponse({ type: TicketView, description: 'The ticket with its CCs.' })
  addCcByEmail(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: AddCcByEmailInput): Promise<TicketView> {
    return this.participants.addCcByEmail(principal, id, input);
  }

  @Delete('ccs/:contactId')
  @ApiConflictResponse({ description: CLOSED })
  @ApiOperation({
    summary: 'Remove a CC from a ticket',
    description: 'Any agent or admin. The contact gets no more copies and no longer sees the ticket in the portal. Removing a contact who is not a CC changes nothing. Emits ticket.updated with changes.ccs.',
  })
  @ApiOkResponse({ type: TicketView, description: 'The ticket with its CCs.' })
  removeCc(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('contactId', IdParamPipe) contactId: string): Promise<TicketView> {
    return this.participants.removeCc(principal, id, contactId);
  }
}
