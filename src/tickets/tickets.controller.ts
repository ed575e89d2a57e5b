import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { CreateTicketInput, TicketListView, TicketView, UpdateTicketInput } from './dto/ticket.dto';
import { parseIfMatch } from './if-match';
import { TicketsService } from './tickets.service';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('tickets')
  @ApiOkResponse({ type: TicketListView })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTicketsQuery): Promise<Page<TicketView>> {
    return this.tickets.list(principal, query);
  }

  @Post('tickets')
  @ApiCreatedResponse({ type: TicketView, description: 'The ticket, with an ETag header.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateTicketInput): Promise<TicketView> {
    return this.tickets.create(principal, input);
  }

  @Get('tickets/:id')
  @ApiOkResponse({ type: TicketView, description: 'The ticket, with an ETag header for If-Match.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<TicketView> {
    return this.tickets.get(principal, id);
  }

  @Patch('tickets/:id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of your last read; a stale one answers 412 and nothing is written.' })
  @ApiOkResponse({ type: TicketView })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Body() input: UpdateTicketInput,
    @Headers('if-match') ifMatch?: string,
  ): Promise<TicketView> {
    return this.tickets.update(principal, id, input, parseIfMatch(ifMatch));
  }

  @Get('contacts/:id/tickets')
  @ApiTags('Contacts')
  @ApiOkResponse({ type: TicketListView, description: "The contact's tickets, newest first." })
  listForContact(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<Page<TicketView>> {
    return this.tickets.listForRequester(principal, id, page);
  }
}
