import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { MintPortalTokenInput, PortalSecretStatusView, PortalSecretView, PortalTokenView } from './dto/portal.dto';
import { PortalAuthService } from './portal-auth.service';

@ApiTags('Customer portal')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/portal')
export class PortalAdminController {
  constructor(private readonly auth: PortalAuthService) {}

  @Post('tokens')
  @ApiCreatedResponse({ type: PortalTokenView, description: 'A short-lived token acting as this contact on /v1/portal/tickets.' })
  mint(@CurrentPrincipal() principal: Principal, @Body() input: MintPortalTokenInput): Promise<PortalTokenView> {
    return this.auth.mint(principal, input.contactId);
  }

  @Get('secret')
  @ApiOkResponse({ type: PortalSecretStatusView, description: 'Whether a secret is set; the secret itself is never returned again.' })
  secretStatus(@CurrentPrincipal() principal: Principal): Promise<PortalSecretStatusView> {
    return this.auth.secretStatus(principal);
  }

  @Post('secret')
  @ApiCreatedResponse({ type: PortalSecretView, description: 'Creates or rotates the secret integrators sign portal tokens with; shown in this response only. Tokens signed with the previous secret stop working.' })
  rotateSecret(@CurrentPrincipal() principal: Principal): Promise<PortalSecretView> {
    return this.auth.rotateSecret(principal);
  }

  @Delete('secret')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Integrator-signed tokens stop working; minted tokens are unaffected.' })
  async removeSecret(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.removeSecret(principal);
  }
}
