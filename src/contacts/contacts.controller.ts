import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'List contacts',
    description:
      'Any agent or admin. Newest first, paged with limit and cursor. Filter by exact email (case-insensitive), externalId, or q, a case-insensitive prefix of the name or email.',
  })
  @ApiOkResponse({ type: ContactListView, description: 'Newest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ContactListQuery): Promise<Page<ContactView>> {
    return this.contacts.list(principal, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a contact', description: 'Any agent or admin. 404 for a contact of another workspace.' })
  @ApiOkResponse({ type: ContactView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<ContactView> {
    return this.contacts.get(principal, id);
  }

  @Post()
  @ApiConflictResponse({ description: 'duplicate: another contact has this email or externalId (`field` names which).' })
  @ApiOperation({
    summary: 'Create a contact',
    description:
      'Any agent or admin. Needs at least one of email, externalId or name. email and externalId are each unique in the workspace (409 duplicate, naming the field). Emits contact.created.',
  })
  @ApiCreatedResponse({ type: ContactView, description: 'Needs at least one of email, externalId or name.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateContactInput): Promise<ContactView> {
    return this.contacts.create(principal, input);
  }

  @Patch(':id')
  @ApiConflictResponse({ description: 'duplicate: another contact has this email or externalId (`field` names which).' })
  @ApiOperation({
    summary: 'Update a contact',
    description:
      'Any agent or admin. Changes only the fields sent; null clears a field, and metadata is replaced as a whole. email and externalId stay unique in the workspace (409 duplicate). Emits contact.updated with the changed fields.',
  })
  @ApiOkResponse({ type: ContactView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateContactInput): Promise<ContactView> {
    return this.contacts.update(principal, id, input);
  }

  @Delete(':id')
  @ApiConflictResponse({ description: 'contact_has_tickets: the contact is the requester of tickets.' })
  @ApiOperation({
    summary: 'Delete a contact',
    description:
      'Any agent or admin. A contact who is the requester of tickets cannot be deleted (409 contact_has_tickets), since tickets keep their requester. Emits contact.deleted with its last state.',
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A contact who is the requester of tickets answers 409 contact_has_tickets.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.contacts.delete(principal, id);
  }
}
