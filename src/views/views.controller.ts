import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { TicketListView, TicketView } from '../tickets/dto/ticket.dto';
import { CreateViewInput, UpdateViewInput, ViewCountListView, ViewCountView, ViewListQuery, ViewListView, ViewTicketsQuery, ViewView } from './dto/view.dto';
import { ViewsService } from './views.service';

@ApiTags('Views')
@ApiBearerAuth()
@Controller('v1/views')
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @Get()
  @ApiOperation({ summary: 'List saved views', description: 'Any agent or admin. The shared views of the workspace and your personal ones, by position, then oldest first.' })
  @ApiOkResponse({ type: ViewListView })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ViewListQuery): Promise<{ data: ViewView[] }> {
    return { data: await this.views.list(principal, query.visibility) };
  }

  @Get('counts')
  @ApiOperation({
    summary: 'Count the tickets of every view',
    description:
      'Any agent or admin. How many tickets match each view you can see (shared and your personal ones), all in one call and one query, for a sidebar. Counts are exact up to 1,000; above, approximate is true and count is 1,000.',
  })
  @ApiOkResponse({ type: ViewCountListView })
  async counts(@CurrentPrincipal() principal: Principal, @Query() query: ViewListQuery): Promise<{ data: ViewCountView[] }> {
    return { data: await this.views.counts(principal, query.visibility) };
  }

  @Post()
  @ApiForbiddenResponse({ description: 'An agent asked for a shared view: those need an admin.' })
  @ApiConflictResponse({ description: 'too_many_views: the list (the shared views, or your personal ones) already holds 100 views.' })
  @ApiOperation({
    summary: 'Create a saved view',
    description:
      'Any agent or admin, by visibility: personal (the default) is yours alone and needs a credential bound to an agent (422 otherwise); shared is seen by every agent of the workspace and needs an admin (403). filter takes exactly the filters of GET /v1/tickets, validated the same way (422 naming filter.<field>, a bad q included). Emits view.created.',
  })
  @ApiCreatedResponse({ type: ViewView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateViewInput): Promise<ViewView> {
    return this.views.create(principal, input);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a saved view', description: 'Any agent or admin, for a shared view or your own personal one; 404 otherwise (another agent\'s personal view, another workspace).' })
  @ApiOkResponse({ type: ViewView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<ViewView> {
    return this.views.get(principal, id);
  }

  @Get(':id/tickets')
  @ApiOperation({
    summary: 'List a view\'s tickets',
    description: 'Any agent or admin who can see the view. The tickets matching its filter in its sort, paged like GET /v1/tickets (limit 1 to 100, default 25; pass nextCursor back as cursor).',
  })
  @ApiOkResponse({ type: TicketListView })
  async tickets(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() query: ViewTicketsQuery): Promise<Page<TicketView>> {
    return (await this.views.listTickets(principal, id, query)).page;
  }

  @Patch(':id')
  @ApiForbiddenResponse({ description: 'An agent tried to change a shared view, or to make a view shared: those need an admin.' })
  @ApiConflictResponse({ description: 'too_many_views: the list the view moves to already holds 100 views.' })
  @ApiOperation({
    summary: 'Update a saved view',
    description: 'Your personal views, or any shared view for an admin (403 for an agent). Changes only the fields sent; filter is replaced whole and validated as on create. Emits view.updated with the previous state.',
  })
  @ApiOkResponse({ type: ViewView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateViewInput): Promise<ViewView> {
    return this.views.update(principal, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiForbiddenResponse({ description: 'An agent tried to delete a shared view: that needs an admin.' })
  @ApiOperation({ summary: 'Delete a saved view', description: 'Same rights as update: your personal views, or shared ones for an admin. Emits view.deleted.' })
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.views.delete(principal, id);
  }
}
