import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../../auth/auth.decorators';
import { Principal } from '../../../auth/principal';
import { PageQuery } from '../../../common/dto/list-query.dto';
import { IdParamPipe } from '../../../common/http/id-param.pipe';
import { Page } from '../../../common/pagination/cursor';
import { CreateMailboxInput, MailboxListView, MailboxView, UpdateMailboxInput } from '../dto/mailbox.dto';
import { MailboxesService } from './mailboxes.service';

@ApiTags('Channels')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/mailboxes')
export class MailboxesController {
  constructor(private readonly mailboxes: MailboxesService) {}

  @Get()
  @ApiOkResponse({ type: MailboxListView, description: 'Oldest first. Passwords are never returned.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<MailboxView>> {
    return this.mailboxes.list(principal, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: MailboxView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<MailboxView> {
    return this.mailboxes.get(principal, id);
  }

  @Post()
  @ApiCreatedResponse({ type: MailboxView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateMailboxInput): Promise<MailboxView> {
    return this.mailboxes.create(principal, input);
  }

  @Patch(':id')
  @ApiOkResponse({ type: MailboxView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateMailboxInput): Promise<MailboxView> {
    return this.mailboxes.update(principal, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. Tickets it created stay; their replies can no longer be sent by email.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.mailboxes.delete(principal, id);
  }
}
