import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { connection } from '../graphql/connection';
import { TicketConnection } from '../tickets/dto/ticket-connection.dto';
import { ticketListCursor } from '../tickets/tickets.service';
import { CreateViewInput, UpdateViewInput, ViewCountView, ViewTicketsArgs, ViewView } from './dto/view.dto';
import { ViewsService } from './views.service';

@Resolver(() => ViewView)
export class ViewsResolver {
  constructor(private readonly viewsService: ViewsService) {}

  @Query(() => [ViewView], { description: 'The shared views and your personal ones, by position.' })
  views(@CurrentPrincipal() principal: Principal): Promise<ViewView[]> {
    return this.viewsService.list(principal);
  }

  @Query(() => ViewView)
  view(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<ViewView> {
    return this.viewsService.get(principal, id);
  }

  @Query(() => TicketConnection, { description: 'The tickets of a view, in its filter and sort, paged like tickets.' })
  async viewTickets(@CurrentPrincipal() principal: Principal, @Args() args: ViewTicketsArgs): Promise<TicketConnection> {
    const view = await this.viewsService.get(principal, args.id);
    return connection(async () => (await this.viewsService.listTickets(principal, args.id, { limit: args.first, cursor: args.after })).page, ticketListCursor(view.sort));
  }

  @Query(() => [ViewCountView], { description: 'Every visible view\'s ticket count at once; exact up to 1,000, marked approximate above.' })
  viewCounts(@CurrentPrincipal() principal: Principal): Promise<ViewCountView[]> {
    return this.viewsService.counts(principal);
  }

  @Mutation(() => ViewView)
  createView(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateViewInput): Promise<ViewView> {
    return this.viewsService.create(principal, input);
  }

  @Mutation(() => ViewView)
  updateView(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string, @Args('input') input: UpdateViewInput): Promise<ViewView> {
    return this.viewsService.update(principal, id, input);
  }

  @Mutation(() => ID)
  async deleteView(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.viewsService.delete(principal, id);
    return id;
  }
}
