import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { MarkPresenceInput, PresenceListView } from './dto/presence.dto';
import { PresentAgentGuard } from './present-agent.guard';
import { PresenceService } from './presence.service';

const NO_AGENT = 'Forbidden: the credential is no agent\'s (an API key bound to no agent); presence needs an agent\'s access token or a key bound to an agent.';

@ApiTags('Presence')
@ApiBearerAuth()
@Controller('v1/tickets/:id/presence')
export class TicketPresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Put()
  @UseGuards(PresentAgentGuard)
  @ApiForbiddenResponse({ description: NO_AGENT })
  @ApiOperation({
    summary: 'Mark yourself on a ticket',
    description:
      'Agents only: an agent\'s access token or an API key bound to an agent (other keys get 403). Shows the agent on the ticket as viewing or replying for PRESENCE_TTL_SECONDS (default 30); send it again before expiresAt to stay. Other agents see it in GET, in the GraphQL presence subscription and as presence.changed on the agent streams; presence is ephemeral: never in the event feed, never sent to webhooks or requesters. Answers who is on the ticket now.',
  })
  @ApiOkResponse({ type: PresenceListView, description: 'Who is on the ticket now, the caller included.' })
  mark(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: MarkPresenceInput): Promise<PresenceListView> {
    return this.presence.mark(principal, id, input.state);
  }

  @Get()
  @ApiOperation({
    summary: 'List who is on a ticket',
    description: 'Any agent or admin. The agents viewing or replying to the ticket now, earliest arrival first; an entry not refreshed before its expiresAt is never listed.',
  })
  @ApiOkResponse({ type: PresenceListView })
  list(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<PresenceListView> {
    return this.presence.list(principal, id);
  }

  @Delete()
  @UseGuards(PresentAgentGuard)
  @ApiForbiddenResponse({ description: NO_AGENT })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Leave a ticket',
    description: 'Agents only, like PUT. Removes the caller from the ticket at once (otherwise the entry expires by itself). Leaving a ticket you were not on succeeds too.',
  })
  @ApiNoContentResponse({ description: 'The caller is no longer on the ticket.' })
  async leave(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.presence.leave(principal, id);
  }
}
