import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { ListTagsQuery, RenameTagInput, TagChangeView, TagView } from './dto/tag.dto';
import { TagsService } from './tags.service';

@Resolver()
export class TagsResolver {
  constructor(private readonly tagsService: TagsService) {}

  @Query(() => [TagView], { description: 'Tags on tickets that are not closed, by prefix, most used first.' })
  tags(@CurrentPrincipal() principal: Principal, @Args() query: ListTagsQuery): Promise<TagView[]> {
    return this.tagsService.list(principal, query);
  }

  @Mutation(() => TagChangeView)
  @AdminOnly()
  renameTag(@CurrentPrincipal() principal: Principal, @Args('input') input: RenameTagInput): Promise<TagChangeView> {
    return this.tagsService.rename(principal, input.from, input.to);
  }

  @Mutation(() => TagChangeView)
  @AdminOnly()
  deleteTag(@CurrentPrincipal() principal: Principal, @Args('tag') tag: string): Promise<TagChangeView> {
    return this.tagsService.remove(principal, tag);
  }
}
