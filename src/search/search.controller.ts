import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'Search tickets',
    description:
      'Any agent or admin. Full-text search over tickets and their messages, with search-box qualifiers such as assignee:me. Tickets by relevance, newest first when q has only qualifiers, with highlighted fragments; paged with limit and cursor.',
  })
  @ApiOkResponse({ type: SearchResultsView, description: 'Tickets by relevance (newest first when q has only qualifiers).' })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchQuery): Promise<Page<SearchHitView>> {
    return this.searchService.search(principal, query);
  }
}
