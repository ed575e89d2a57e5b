import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../../auth/auth.decorators';
import { Principal } from '../../../auth/principal';
import { EmailSettingsView, UpdateEmailSettingsInput } from './email-settings.dto';
import { EmailSettingsService } from './email-settings.service';

@ApiTags('Channels')
@ApiBearerAuth()
@Controller('v1/channels/email/settings')
export class EmailSettingsController {
  constructor(private readonly settings: EmailSettingsService) {}

  @Get()
  @ApiOperation({
    summary: "Get the workspace's email settings",
    description: "Any agent or admin. inboundCcEnabled (default true): an inbound email's Cc addresses, except the workspace's own mailboxes, become CCs of its ticket.",
  })
  @ApiOkResponse({ type: EmailSettingsView })
  get(@CurrentPrincipal() principal: Principal): Promise<EmailSettingsView> {
    return this.settings.get(principal);
  }

  @Patch()
  @AdminOnly()
  @ApiOperation({ summary: "Update the workspace's email settings", description: 'Admins only. Changes only the fields sent.' })
  @ApiOkResponse({ type: EmailSettingsView })
  update(@CurrentPrincipal() principal: Principal, @Body() input: UpdateEmailSettingsInput): Promise<EmailSettingsView> {
    return this.settings.update(principal, input);
  }
}
