import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import {
  CreateOrganizationInput, DeleteOrganizationQuery, OrganizationListQuery, OrganizationListView, OrganizationView, UpdateOrganizationInput,
} from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

const DUPLICATE = 'duplicate: another organization has this name, externalId or one of these domains (`field` names which: name, externalId or domains).';

@ApiTags('Organizations')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @ApiOperation({
    summary: 'List organizations',
    description: 'Any agent or admin. Oldest first, paged with limit and cursor. Filter by externalId, by domain (the organization owning it) or q, a case-insensitive prefix of the name.',
  })
  @ApiOkResponse({ type: OrganizationListView, description: 'Oldest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationListQuery): Promise<Page<OrganizationView>> {
    return this.organizations.list(principal, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an organization', description: 'Any agent or admin. 404 for an organization of another workspace.' })
  @ApiOkResponse({ type: OrganizationView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<OrganizationView> {
    return this.organizations.get(principal, id);
  }

  @Post()
  @AdminOnly()
  @ApiConflictResponse({ description: DUPLICATE })
  @ApiOperation({
    summary: 'Create an organization',
    description:
      'Admins only. name (case-insensitively) and externalId are unique in the workspace; each domain belongs to at most one organization (409 duplicate, naming the field). A contact created later with an email at one of the domains joins the organization. Emits organization.created.',
  })
  @ApiCreatedResponse({ type: OrganizationView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateOrganizationInput): Promise<OrganizationView> {
    return this.organizations.create(principal, input);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiConflictResponse({ description: DUPLICATE })
  @ApiOperation({
    summary: 'Update an organization',
    description:
      'Admins only. Changes only the fields sent; domains, tags and customFields replace the whole value, null clears externalId or notes. Changing domains moves no existing contact: only contacts created afterwards join by domain. Emits organization.updated with the changed fields.',
  })
  @ApiOkResponse({ type: OrganizationView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateOrganizationInput): Promise<OrganizationView> {
    return this.organizations.update(principal, id, input);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiConflictResponse({ description: 'organization_has_contacts: contacts belong to the organization; repeat with ?detach=true to remove them from it.' })
  @ApiOperation({
    summary: 'Delete an organization',
    description:
      'Admins only. An organization that contacts belong to answers 409 organization_has_contacts unless detach=true, which first removes them from it (their organizationId becomes null). Its tickets keep no organization. Emits organization.deleted with its last state.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Query() query: DeleteOrganizationQuery): Promise<void> {
    await this.organizations.delete(principal, id, { detach: query.detach });
  }
}
