import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'List API keys',
    description:
      'Admins only. Every API key of the workspace with its name, role, scopes, bound agent, prefix and last use; never the secret. One page holding all keys (nextCursor is always null).',
  })
  @ApiOkResponse({ type: ApiKeyListView })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ data: ApiKeyView[]; nextCursor: null }> {
    return { data: await this.apiKeys.list(principal), nextCursor: null };
  }

  @Post()
  @ApiOperation({
    summary: 'Create an API key',
    description:
      'Admins only. The secret key is returned in this response only; store it then. role admin or agent; agentId binds the key to an agent, whose replies it authors (agent keys without one act as an integration). Only a key with the platform scope may grant the platform scope (403 otherwise).',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The key is returned once, in this response only.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateApiKeyInput): Promise<CreatedApiKeyView> {
    return this.apiKeys.create(principal, input);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'Admins only. The key stops working at once. Revoking a key of another workspace answers 404.',
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the key stops working at once.' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(principal, id);
  }
}
