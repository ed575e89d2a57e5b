import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { RateTicketInput, SatisfactionRatingView } from './dto/satisfaction.dto';
import { SatisfactionService } from './satisfaction.service';

@ApiTags('Satisfaction')
@ApiBearerAuth()
@Controller('v1/tickets/:id/satisfaction')
export class SatisfactionController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  // The requester's rating, relayed by an integration (admin key); agents cannot rate their own work.
  @Post()
  @ApiOperation({
    summary: 'Record the requester\'s satisfaction rating',
    description:
      'Admins only: the requester\'s rating relayed by an integration (agents cannot rate their own work; requesters rate in the portal). Only a resolved ticket can be rated, once per resolution (409 ticket_not_resolved, 409 already_rated). Emits ticket.satisfaction_rated.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: SatisfactionRatingView })
  @ApiConflictResponse({ description: 'The ticket is not resolved (ticket-not-resolved), or this resolution is already rated (already-rated).' })
  rate(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: RateTicketInput): Promise<SatisfactionRatingView> {
    return this.satisfaction.rate(principal, id, input);
  }
}
