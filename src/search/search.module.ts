import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchResolver } from './search.resolver';
import { SearchService } from './search.service';
import { TicketListSearchConditions } from './ticket-list-search';

@Module({
  imports: [TicketsModule],
  controllers: [SearchController],
  providers: [SearchService, SearchRepository, SearchResolver, TicketListSearchConditions],
  exports: [SearchService],
})
export class SearchModule {}
