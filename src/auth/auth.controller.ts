import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  login(@Body() input: LoginInput): Promise<TokenPairView> {
    return this.auth.login(input);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView, description: 'A new pair; the presented refresh token stops working.' })
  refresh(@Body() input: RefreshInput): Promise<TokenPairView> {
    return this.auth.refresh(input.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The refresh token and every token rotated from it are revoked.' })
  async logout(@Body() input: RefreshInput): Promise<void> {
    await this.auth.logout(input.refreshToken);
  }
}
