import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { Page } from '../common/pagination/cursor';
import { SearchHitView, SearchQuery, SearchResultsView } from './dto/search.dto';
import { SearchService } from './search.service';

@ApiTags('Search')
@ApiBearerAuth()
@Controller('v1')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get('search')
  @ApiOkResponse({ type: SearchResultsView, description: 'Tickets by relevance (newest first when q has only qualifiers).' })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchQuery): Promise<Page<SearchHitView>> {
    return this.searchService.search(principal, query);
  }
}
