import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: SlaSettingsView })
  get(@CurrentPrincipal() principal: Principal): Promise<SlaSettingsView> {
    return this.settings.get(principal);
  }

  @Patch()
  @AdminOnly()
  @ApiOkResponse({ type: SlaSettingsView })
  update(@CurrentPrincipal() principal: Principal, @Body() input: UpdateSlaSettingsInput): Promise<SlaSettingsView> {
    return this.settings.update(principal, input);
  }
}
