import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { PageQuery } from '../../common/dto/list-query.dto';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Page } from '../../common/pagination/cursor';
import { BusinessHoursListView, BusinessHoursView, CreateBusinessHoursInput, UpdateBusinessHoursInput } from './dto/business-hours.dto';
import { BusinessHoursService } from './business-hours.service';

@ApiTags('SLA')
@ApiBearerAuth()
@Controller('v1/business-hours')
export class BusinessHoursController {
  constructor(private readonly calendars: BusinessHoursService) {}

  @Get()
  @ApiOkResponse({ type: BusinessHoursListView, description: 'Oldest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<BusinessHoursView>> {
    return this.calendars.list(principal, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: BusinessHoursView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<BusinessHoursView> {
    return this.calendars.get(principal, id);
  }

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: BusinessHoursView, description: 'Invalid zones, malformed or overlapping intervals answer 422 naming the field.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateBusinessHoursInput): Promise<BusinessHoursView> {
    return this.calendars.create(principal, input);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: BusinessHoursView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateBusinessHoursInput): Promise<BusinessHoursView> {
    return this.calendars.update(principal, id, input);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A calendar still used by a policy answers 409 business_hours_in_use.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.calendars.delete(principal, id);
  }
}
