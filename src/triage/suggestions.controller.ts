import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { TicketSuggestionsView } from './dto/ticket-suggestions.dto';
import { SuggestionsService } from './suggestions.service';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets/:id/suggestions')
export class SuggestionsController {
  constructor(private readonly suggestions: SuggestionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Suggest a ticket\'s type, priority, team and tags',
    description:
      'Any agent or admin. Predictions of a model learned from the workspace\'s resolved tickets, each with a confidence; nothing is guessed below the minimum history (enoughHistory=false), and nothing is changed on the ticket.',
  })
  @ApiOkResponse({ type: TicketSuggestionsView, description: "Predicted type, priority, team and tags from the workspace's resolved tickets." })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<TicketSuggestionsView> {
    return this.suggestions.forTicket(principal, id);
  }
}
