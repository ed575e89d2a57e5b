import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'List business-hours calendars', description: 'Any agent or admin. Oldest first, paged with limit and cursor.' })
  @ApiOkResponse({ type: BusinessHoursListView, description: 'Oldest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<BusinessHoursView>> {
    return this.calendars.list(principal, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a business-hours calendar', description: 'Any agent or admin. 404 for a calendar of another workspace.' })
  @ApiOkResponse({ type: BusinessHoursView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<BusinessHoursView> {
    return this.calendars.get(principal, id);
  }

  @Post()
  @ApiConflictResponse({ description: 'duplicate: another calendar has this name.' })
  @ApiOperation({
    summary: 'Create a business-hours calendar',
    description:
      'Admins only. A weekly schedule of HH:MM-HH:MM intervals per weekday in an IANA time zone, plus holidays and special days (a date\'s own hours, e.g. a half day). Unknown zones and malformed or overlapping intervals answer 422 naming the field; name is unique in the workspace (409 duplicate). SLA policies that use the calendar count only business minutes. Emits business_hours.created.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: BusinessHoursView, description: 'Invalid zones, malformed or overlapping intervals answer 422 naming the field.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateBusinessHoursInput): Promise<BusinessHoursView> {
    return this.calendars.create(principal, input);
  }

  @Patch(':id')
  @ApiConflictResponse({ description: 'duplicate: another calendar has this name.' })
  @ApiOperation({
    summary: 'Update a business-hours calendar',
    description:
      'Admins only. Changes only the fields sent; weekly replaces the whole week, holidays all holidays and specialDays all special days. Due times of open SLA clocks that use the calendar are recomputed. Emits business_hours.updated.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: BusinessHoursView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateBusinessHoursInput): Promise<BusinessHoursView> {
    return this.calendars.update(principal, id, input);
  }

  @Delete(':id')
  @ApiConflictResponse({ description: 'business_hours_in_use: SLA policies use this calendar.' })
  @ApiOperation({
    summary: 'Delete a business-hours calendar',
    description:
      'Admins only. A calendar still used by an SLA policy answers 409 business_hours_in_use: point those policies at another calendar first. Emits business_hours.deleted.',
  })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A calendar still used by a policy answers 409 business_hours_in_use.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.calendars.delete(principal, id);
  }
}
