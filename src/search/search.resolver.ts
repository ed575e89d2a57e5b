import { Args, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { SearchArgs, SearchConnection } from './dto/search.dto';
import { SearchService } from './search.service';

@Resolver()
export class SearchResolver {
  constructor(private readonly searchService: SearchService) {}

  @Query(() => SearchConnection, { description: 'Full-text ticket search; the same syntax as GET /v1/search.' })
  search(@CurrentPrincipal() principal: Principal, @Args() args: SearchArgs): Promise<SearchConnection> {
    return connection(() => this.searchService.search(principal, { q: args.q, limit: args.first, cursor: args.after }), (hit) => hit.cursor);
  }
}
