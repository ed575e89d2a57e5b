import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { RateTicketInput, SatisfactionRatingView } from './dto/satisfaction.dto';
import { SatisfactionService } from './satisfaction.service';

@Resolver()
export class SatisfactionResolver {
  constructor(private readonly satisfaction: SatisfactionService) {}

  @Mutation(() => SatisfactionRatingView, {
    description: 'Admins only: the requester\'s rating relayed by an integration. Only a resolved ticket, once per resolution (CONFLICT ticket_not_resolved, already_rated).',
  })
  @AdminOnly()
  rateTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }, IdParamPipe) ticketId: string,
    @Args('input') input: RateTicketInput,
  ): Promise<SatisfactionRatingView> {
    return this.satisfaction.rate(principal, ticketId, input);
  }
}
