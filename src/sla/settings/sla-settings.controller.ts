import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { SlaSettingsView, UpdateSlaSettingsInput } from './sla-settings.dto';
import { SlaSettingsService } from './sla-settings.service';

@ApiTags('SLA')
@ApiBearerAuth()
@Controller('v1/sla-settings')
export class SlaSettingsController {
  constructor(private readonly settings: SlaSettingsService) {}

  @Get()
  @ApiOperation({
    summary: 'Get the workspace\'s SLA settings',
    description:
      'Any agent or admin. Workspace-wide settings, such as after how many days resolved tickets close automatically.',
  })
  @ApiOkResponse({ type: SlaSettingsView })
  get(@CurrentPrincipal() principal: Principal): Promise<SlaSettingsView> {
    return this.settings.get(principal);
  }

  @Patch()
  @ApiOperation({ summary: 'Update the workspace\'s SLA settings', description: 'Admins only. Changes only the fields sent.' })
  @AdminOnly()
  @ApiOkResponse({ type: SlaSettingsView })
  update(@CurrentPrincipal() principal: Principal, @Body() input: UpdateSlaSettingsInput): Promise<SlaSettingsView> {
    return this.settings.update(principal, input);
  }
}
