import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'List mailboxes',
    description:
      'Admins only. The workspace\'s email mailboxes (support addresses with their IMAP and SMTP servers and polling state), oldest first; passwords are never returned.',
  })
  @ApiOkResponse({ type: MailboxListView, description: 'Oldest first. Passwords are never returned.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<MailboxView>> {
    return this.mailboxes.list(principal, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a mailbox', description: 'Admins only. Passwords are never returned.' })
  @ApiOkResponse({ type: MailboxView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<MailboxView> {
    return this.mailboxes.get(principal, id);
  }

  @Post()
  @ApiConflictResponse({ description: 'mailbox_address_taken: another mailbox has this address.' })
  @ApiOperation({
    summary: 'Add a mailbox',
    description:
      'Admins only. A support address whose incoming mail becomes tickets and messages (polled over IMAP, or posted to POST /v1/channels/email/inbound) and through which agents\' public replies are sent by SMTP. The address is unique in the workspace (409 mailbox_address_taken); server passwords are stored encrypted and never returned.',
  })
  @ApiCreatedResponse({ type: MailboxView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateMailboxInput): Promise<MailboxView> {
    return this.mailboxes.create(principal, input);
  }

  @Patch(':id')
  @ApiConflictResponse({ description: 'mailbox_address_taken: another mailbox has this address.' })
  @ApiOperation({
    summary: 'Update a mailbox',
    description:
      'Admins only. Changes only the fields sent; a server block changes only the fields it names. Address uniqueness as on create (409 mailbox_address_taken).',
  })
  @ApiOkResponse({ type: MailboxView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateMailboxInput): Promise<MailboxView> {
    return this.mailboxes.update(principal, id, input);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a mailbox', description: 'Admins only. Tickets it created stay; their replies can no longer be sent by email.' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. Tickets it created stay; their replies can no longer be sent by email.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.mailboxes.delete(principal, id);
  }
}
