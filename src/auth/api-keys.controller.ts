import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ApiKeysService } from './api-keys.service';
import { AdminOnly, CurrentPrincipal } from './auth.decorators';
import { ApiKeyListView } from './dto/api-key-list.dto';
import { ApiKeyView, CreateApiKeyInput, CreatedApiKeyView } from './dto/api-key.dto';
import { Principal } from './principal';

@ApiTags('API keys')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({ type: ApiKeyListView })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ data: ApiKeyView[]; nextCursor: null }> {
    return { data: await this.apiKeys.list(principal), nextCursor: null };
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The key is returned once, in this response only.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateApiKeyInput): Promise<CreatedApiKeyView> {
    return this.apiKeys.create(principal, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the key stops working at once.' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(principal, id);
  }
}
