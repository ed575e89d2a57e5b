import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { TicketSuggestionsView } from './dto/ticket-suggestions.dto';
import { SuggestionsService } from './suggestions.service';

@Resolver()
export class SuggestionsResolver {
  constructor(private readonly suggestions: SuggestionsService) {}

  @Query(() => TicketSuggestionsView, {
    description: 'A ticket\'s predicted type, priority, team and tags, each with a confidence; nothing is guessed below the minimum history, and nothing is changed.',
  })
  ticketSuggestions(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }, IdParamPipe) ticketId: string): Promise<TicketSuggestionsView> {
    return this.suggestions.forTicket(principal, ticketId);
  }
}
