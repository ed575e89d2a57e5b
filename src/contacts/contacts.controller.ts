import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { ContactsService } from './contacts.service';
import { ContactListQuery, ContactListView, ContactView, CreateContactInput, UpdateContactInput } from './dto/contact.dto';

@ApiTags('Contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @ApiOkResponse({ type: ContactListView, description: 'Newest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ContactListQuery): Promise<Page<ContactView>> {
    return this.contacts.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ContactView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<ContactView> {
    return this.contacts.get(principal, id);
  }

  @Post()
  @ApiCreatedResponse({ type: ContactView, description: 'Needs at least one of email, externalId or name.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateContactInput): Promise<ContactView> {
    return this.contacts.create(principal, input);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ContactView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateContactInput): Promise<ContactView> {
    return this.contacts.update(principal, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A contact who is the requester of tickets answers 409 contact_has_tickets.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.contacts.delete(principal, id);
  }
}
