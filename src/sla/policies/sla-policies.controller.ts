import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: SlaPolicyListView, description: 'In the order policies are tried: lowest position first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<SlaPolicyView>> {
    return this.policies.list(principal, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: SlaPolicyView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<SlaPolicyView> {
    return this.policies.get(principal, id);
  }

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: SlaPolicyView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateSlaPolicyInput): Promise<SlaPolicyView> {
    return this.policies.create(principal, input);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: SlaPolicyView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateSlaPolicyInput): Promise<SlaPolicyView> {
    return this.policies.update(principal, id, input);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.policies.delete(principal, id);
  }
}
