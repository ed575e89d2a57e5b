import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { PageQuery } from '../../common/dto/list-query.dto';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Page } from '../../common/pagination/cursor';
import { CreateSlaPolicyInput, SlaPolicyListView, SlaPolicyView, UpdateSlaPolicyInput } from './dto/sla-policy.dto';
import { SlaPoliciesService } from './sla-policies.service';

@ApiTags('SLA')
@ApiBearerAuth()
@Controller('v1/sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: SlaPoliciesService) {}

  @Get()
  @ApiOperation({
    summary: 'List SLA policies',
    description:
      'Any agent or admin. In the order policies are tried (lowest position first): a ticket gets the first policy whose conditions it matches.',
  })
  @ApiOkResponse({ type: SlaPolicyListView, description: 'In the order policies are tried: lowest position first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<SlaPolicyView>> {
    return this.policies.list(principal, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an SLA policy', description: 'Any agent or admin. 404 for a policy of another workspace.' })
  @ApiOkResponse({ type: SlaPolicyView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<SlaPolicyView> {
    return this.policies.get(principal, id);
  }

  @Post()
  @ApiConflictResponse({ description: 'duplicate: another SLA policy has this name.' })
  @ApiOperation({
    summary: 'Create an SLA policy',
    description:
      'Admins only. Targets in business minutes per priority for first response, next response and resolution, counted on the policy\'s business-hours calendar (around the clock without one); conditions choose the tickets (an empty object matches all); pausedStatuses stop a metric\'s clock. position inserts the policy in the order policies are tried. name is unique in the workspace (409 duplicate). Emits sla_policy.created.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: SlaPolicyView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateSlaPolicyInput): Promise<SlaPolicyView> {
    return this.policies.create(principal, input);
  }

  @Patch(':id')
  @ApiConflictResponse({ description: 'duplicate: another SLA policy has this name.' })
  @ApiOperation({
    summary: 'Update an SLA policy',
    description:
      'Admins only. Changes only the fields sent; conditions and targets are replaced as a whole, position moves the policy in the order. Emits sla_policy.updated.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: SlaPolicyView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateSlaPolicyInput): Promise<SlaPolicyView> {
    return this.policies.update(principal, id, input);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete an SLA policy', description: 'Admins only. Emits sla_policy.deleted with its last state.' })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.policies.delete(principal, id);
  }
}
