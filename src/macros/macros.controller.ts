import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { ApplyMacroQuery, CreateMacroInput, MacroApplicationView, MacroListView, MacroView, UpdateMacroInput } from './dto/macro.dto';
import { MacrosService } from './macros.service';

@ApiTags('Macros')
@ApiBearerAuth()
@Controller('v1')
export class MacrosController {
  constructor(private readonly macros: MacrosService) {}

  @Get('macros')
  @ApiOperation({ summary: 'List macros', description: 'Any agent or admin. Oldest first. Agents see workspace macros, their teams\' macros and their own; admins see all.' })
  @ApiOkResponse({ type: MacroListView, description: 'Oldest first; agents see workspace macros, their teams\' and their own.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<MacroView>> {
    return this.macros.list(principal, page);
  }

  @Get('macros/:id')
  @ApiOperation({ summary: 'Get a macro', description: 'Any agent or admin, for a macro they can see; 404 otherwise.' })
  @ApiOkResponse({ type: MacroView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<MacroView> {
    return this.macros.get(principal, id);
  }

  @Post('macros')
  @ApiForbiddenResponse({ description: 'An agent asked for a workspace or team macro, or one for another agent: those need an admin.' })
  @ApiOperation({
    summary: 'Create a macro',
    description:
      'Any agent or admin, by visibility: agents may create only their own macros (visibility agent, 403 otherwise); workspace and team macros need an admin. team needs teamId, agent needs agentId. Actions are applied in order, as one change; unknown template placeholders and actions missing their fields answer 422 naming the field. Emits macro.created.',
  })
  @ApiCreatedResponse({ type: MacroView, description: 'Unknown template placeholders and actions missing their fields are a 422 naming the field.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateMacroInput): Promise<MacroView> {
    return this.macros.create(principal, input);
  }

  @Patch('macros/:id')
  @ApiForbiddenResponse({ description: 'An agent tried to change a workspace or team macro, or another agent\'s: those need an admin.' })
  @ApiOperation({
    summary: 'Update a macro',
    description:
      'Agents may change only their own macros (403 for a workspace or team macro they can see); admins may change any. Changes only the fields sent; actions are replaced as a whole. Emits macro.updated with the previous state.',
  })
  @ApiOkResponse({ type: MacroView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateMacroInput): Promise<MacroView> {
    return this.macros.update(principal, id, input);
  }

  @Delete('macros/:id')
  @ApiForbiddenResponse({ description: 'An agent tried to delete a workspace or team macro, or another agent\'s: those need an admin.' })
  @ApiOperation({ summary: 'Delete a macro', description: 'Same rights as update: agents their own macros, admins any. Emits macro.deleted.' })
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.macros.delete(principal, id);
  }

  @Post('tickets/:id/macros/:macroId/apply')
  @ApiConflictResponse({ description: 'ticket_closed or invalid_transition, as on PATCH /v1/tickets/{id}.' })
  @ApiOperation({
    summary: 'Apply a macro to a ticket',
    description:
      'Any agent or admin who can see the macro. Applies its actions (status, priority, type, tags, team, assignee, messages with rendered templates) to the ticket as one change, following the same lifecycle rules as PATCH (409 ticket_closed, 409 invalid_transition). dryRun=true returns what would change and the rendered messages without writing anything. Send Idempotency-Key to retry safely.',
  })
  @HttpCode(200)
  @ApiTags('Tickets')
  @ApiOkResponse({ type: MacroApplicationView })
  apply(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Param('macroId', IdParamPipe) macroId: string,
    @Query() query: ApplyMacroQuery,
  ): Promise<MacroApplicationView> {
    return this.macros.apply(principal, id, macroId, query.dryRun ?? false);
  }
}
