import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ApiKeysService } from './api-keys.service';
import { AdminOnly, CurrentPrincipal } from './auth.decorators';
import { ApiKeyView, CreateApiKeyInput, CreatedApiKeyView } from './dto/api-key.dto';
import { Principal } from './principal';

@Resolver(() => ApiKeyView)
@AdminOnly()
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Query(() => [ApiKeyView], { description: 'Every API key of the workspace, never its secret (admins only).' })
  apiKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.keys.list(principal);
  }

  @Mutation(() => CreatedApiKeyView, { description: 'The secret key is returned once, in this response only. Only a platform key may grant the platform scope.' })
  createApiKey(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateApiKeyInput): Promise<CreatedApiKeyView> {
    return this.keys.create(principal, input);
  }

  @Mutation(() => ID, { description: 'The key stops working at once. Returns the id of the revoked key.' })
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.keys.revoke(principal, id);
    return id;
  }
}
