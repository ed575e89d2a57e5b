import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { AssignTicketInput } from './assign-ticket.dto';
import { AssignTicketService } from './assign-ticket.service';

@Resolver()
export class AssignTicketResolver {
  constructor(private readonly assignment: AssignTicketService) {}

  @Mutation(() => TicketView, { description: '{agentId} assigns that agent, {teamId} routes through the team strategy, {} unassigns.' })
  assignTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input', { type: () => AssignTicketInput, defaultValue: {} }) input: AssignTicketInput,
  ): Promise<TicketView> {
    return this.assignment.assign(principal, id, input);
  }
}
