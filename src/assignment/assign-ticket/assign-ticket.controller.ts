import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @HttpCode(200)
  @ApiOkResponse({ type: TicketView, description: 'The ticket after the assignment; a ticket.assigned event names the previous and new owner and the reason.' })
  assign(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: AssignTicketInput): Promise<TicketView> {
    return this.assignment.assign(principal, id, input);
  }
}
