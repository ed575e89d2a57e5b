import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { MAX_TAG } from '../tickets/dto/ticket.dto';
import { ListTagsQuery, RenameTagInput, TagChangeView, TagListView, TagView } from './dto/tag.dto';
import { TagsService } from './tags.service';

@ApiTags('Tags')
@ApiBearerAuth()
@Controller('v1/tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @ApiOperation({
    summary: 'List tags',
    description: 'Any agent or admin. The tags on the workspace\'s tickets that are not closed, for autocomplete: starting with prefix (lower case), most used first, with the number of unresolved tickets carrying each. limit 1 to 100, default 20.',
  })
  @ApiOkResponse({ type: TagListView })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListTagsQuery): Promise<{ data: TagView[] }> {
    return { data: await this.tags.list(principal, query) };
  }

  @Post('rename')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    summary: 'Rename a tag everywhere',
    description:
      'Admins only. Renames the tag on every ticket that is not closed (closed tickets are final and keep it), in add_tags and remove_tags actions of macros and automation rules, in rule conditions on tags, and in saved views filtering on it (tag, or tag: in q). Tickets change through the same rules as PATCH, each with its history and ticket.updated event (reason tag_renamed), 100 per transaction; macros, rules and views emit their updated events. Renaming onto an existing tag merges the two. Send Idempotency-Key to retry safely.',
  })
  @ApiOkResponse({ type: TagChangeView, description: 'How many tickets, macros, rules and views changed.' })
  rename(@CurrentPrincipal() principal: Principal, @Body() input: RenameTagInput): Promise<TagChangeView> {
    return this.tags.rename(principal, input.from, input.to);
  }

  @Delete(':tag')
  @AdminOnly()
  @ApiParam({ name: 'tag', schema: { type: 'string', minLength: 1, maxLength: MAX_TAG } })
  @ApiOperation({
    summary: 'Remove a tag everywhere',
    description:
      'Admins only. Removes the tag from every ticket that is not closed (with history, reason tag_removed, 100 per transaction) and from the add_tags and remove_tags actions of macros and automation rules (an action left with no tag is dropped). Rule conditions and view filters on the tag are left as they are: nothing carries it any more, and they still answer so.',
  })
  @ApiOkResponse({ type: TagChangeView })
  remove(@CurrentPrincipal() principal: Principal, @Param('tag') tag: string): Promise<TagChangeView> {
    return this.tags.remove(principal, tag);
  }
}
