import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginInput, RefreshInput, TokenPairView } from './dto/login.dto';

@ApiTags('Authentication')
@Public()
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @ApiOperation({
    summary: 'Log an agent in',
    description:
      'Exchanges an agent\'s email, password and workspace for a short-lived JWT access token and a refresh token (one session). Wrong credentials, a locked account and a deactivated agent are all answered with the same 401. Repeated failures are throttled per account and per address with 429 and Retry-After (the wait doubles with each further failure); an admin can clear an account\'s lock with POST /v1/agents/{id}/unlock. No credential needed.',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'Wrong email, password or workspace, or a locked or deactivated account: all answered alike.' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed logins for this account or from this address; Retry-After says when to try again (the wait doubles with each further failure).',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  })
  login(@Req() request: FastifyRequest, @Body() input: LoginInput): Promise<TokenPairView> {
    return this.auth.login({ ip: request.ip }, input);
  }

  @Post('refresh')
  @ApiOperation({
    summary: 'Refresh an access token',
    description:
      'Rotates the refresh token: answers a new access and refresh token pair, and the presented refresh token stops working. Presenting an already used refresh token is treated as theft and ends the whole session. No Authorization header: the refresh token in the body is the credential.',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView, description: 'A new pair; the presented refresh token stops working.' })
  @ApiUnauthorizedResponse({ description: 'The refresh token is invalid, expired or revoked (presenting a used one ends its whole session): log in again.' })
  refresh(@Body() input: RefreshInput): Promise<TokenPairView> {
    return this.auth.refresh(input.refreshToken);
  }

  @Post('logout')
  @ApiOperation({
    summary: 'Log out (end a session)',
    description:
      'Ends the session the refresh token belongs to: its refresh tokens and every access token issued to it stop working at once. Always 204, also for an unknown or already ended token, so the route cannot be used to probe tokens.',
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session ends: its refresh tokens and the access tokens issued to it stop working at once.' })
  async logout(@Body() input: RefreshInput): Promise<void> {
    await this.auth.logout(input.refreshToken);
  }
}
