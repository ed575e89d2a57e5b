import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { BulkUpdateTickets } from './bulk-update-tickets';
import { BulkUpdateTicketsInput, BulkUpdateView } from './dto/bulk.dto';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets')
export class BulkTicketsController {
  constructor(private readonly bulk: BulkUpdateTickets) {}

  @Post('bulk')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change many tickets at once',
    description:
      'Any agent or admin. Applies the same changes (status, priority, type, assigneeId, teamId, addTags, removeTags, customFields), or a macro you can see (macroId), to up to 100 tickets. Each ticket changes in its own transaction through the same rules as PATCH /v1/tickets/{id}: its own history, events (marked bulk: true), SLA recompute and automation rules. The answer lists every id in the order sent with outcome updated, unchanged (already as asked) or failed with the problem a single change would have answered (404 not_found, 409 ticket_closed or invalid_transition, 422). A bad body, an unknown team, agent or macro refuses the whole call with 422 before any ticket changes. Send Idempotency-Key to retry safely: a retry replays the whole first answer.',
  })
  @ApiOkResponse({ type: BulkUpdateView, description: 'One result per id; failed ones carry their problem.' })
  update(@CurrentPrincipal() principal: Principal, @Body() input: BulkUpdateTicketsInput): Promise<BulkUpdateView> {
    return this.bulk.execute(principal, input);
  }
}
