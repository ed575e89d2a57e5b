import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { ContactsService } from './contacts.service';
import { ContactListView, ContactView } from './dto/contact.dto';

/** An organization's members; here because contacts own the membership (organizations sit below contacts). */
@ApiTags('Organizations')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get(':id/contacts')
  @ApiOperation({
    summary: "List an organization's contacts",
    description: 'Any agent or admin. The contacts that belong to the organization, newest first, paged with limit and cursor. 404 when the organization is not in the workspace.',
  })
  @ApiOkResponse({ type: ContactListView, description: "The organization's contacts, newest first." })
  list(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() page: PageQuery): Promise<Page<ContactView>> {
    return this.contacts.listForOrganization(principal, id, page);
  }
}
