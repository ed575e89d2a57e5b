import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { AssignTicketInput } from './assign-ticket.dto';
import { AssignTicketService } from './assign-ticket.service';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets/:id/assign')
export class AssignTicketController {
  constructor(private readonly assignment: AssignTicketService) {}

  @Post()
  @ApiConflictResponse({ description: 'ticket_closed: the ticket is closed.' })
  @ApiOperation({
    summary: 'Assign a ticket',
    description:
      'Any agent or admin. agentId assigns that agent (with teamId, the ticket also moves to that team); teamId alone moves the ticket to the team and lets the team\'s strategy pick the agent, under the team\'s rotation lock (nobody for a manual team or when no member is available). Agents and teams must be in the workspace (422 naming the field); a closed ticket answers 409 ticket_closed. Send Idempotency-Key to retry safely. Emits ticket.assigned with the previous and new owner and the reason.',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: TicketView, description: 'The ticket after the assignment; a ticket.assigned event names the previous and new owner and the reason.' })
  assign(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: AssignTicketInput): Promise<TicketView> {
    return this.assignment.assign(principal, id, input);
  }
}
