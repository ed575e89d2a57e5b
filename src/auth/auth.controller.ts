import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
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
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView, description: 'A new pair; the presented refresh token stops working.' })
  @ApiUnauthorizedResponse({ description: 'The refresh token is invalid, expired or revoked (presenting a used one ends its whole session): log in again.' })
  refresh(@Body() input: RefreshInput): Promise<TokenPairView> {
    return this.auth.refresh(input.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session ends: its refresh tokens and the access tokens issued to it stop working at once.' })
  async logout(@Body() input: RefreshInput): Promise<void> {
    await this.auth.logout(input.refreshToken);
  }
}
