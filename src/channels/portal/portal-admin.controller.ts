import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'Mint a portal token for a contact',
    description:
      'Admins only. A short-lived token acting as this contact (the requester) on /v1/portal/*: it sees only the contact\'s own tickets and their public conversation. 422 when the contact is not in the workspace.',
  })
  @ApiCreatedResponse({ type: PortalTokenView, description: 'A short-lived token acting as this contact on /v1/portal/tickets.' })
  mint(@CurrentPrincipal() principal: Principal, @Body() input: MintPortalTokenInput): Promise<PortalTokenView> {
    return this.auth.mint(principal, input.contactId);
  }

  @Get('secret')
  @ApiOperation({
    summary: 'Get the portal signing secret\'s status',
    description:
      'Admins only. Whether a secret for integrator-signed portal tokens is set; the secret itself is never returned again.',
  })
  @ApiOkResponse({ type: PortalSecretStatusView, description: 'Whether a secret is set; the secret itself is never returned again.' })
  secretStatus(@CurrentPrincipal() principal: Principal): Promise<PortalSecretStatusView> {
    return this.auth.secretStatus(principal);
  }

  @Post('secret')
  @ApiOperation({
    summary: 'Create or rotate the portal signing secret',
    description:
      'Admins only. The secret integrators sign their own portal tokens with, returned in this response only. Tokens signed with the previous secret stop working at once.',
  })
  @ApiCreatedResponse({ type: PortalSecretView, description: 'Creates or rotates the secret integrators sign portal tokens with; shown in this response only. Tokens signed with the previous secret stop working.' })
  rotateSecret(@CurrentPrincipal() principal: Principal): Promise<PortalSecretView> {
    return this.auth.rotateSecret(principal);
  }

  @Delete('secret')
  @ApiOperation({
    summary: 'Remove the portal signing secret',
    description:
      'Admins only. Integrator-signed tokens stop working; tokens minted with POST /v1/portal/tokens are unaffected.',
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Integrator-signed tokens stop working; minted tokens are unaffected.' })
  async removeSecret(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.removeSecret(principal);
  }
}
