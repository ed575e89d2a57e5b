import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../../graphql/connection';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { CreateSlaPolicyInput, SlaPoliciesArgs, SlaPolicyConnection, SlaPolicyView, UpdateSlaPolicyInput } from './dto/sla-policy.dto';
import { slaPolicyCursor, SlaPoliciesService } from './sla-policies.service';

@Resolver(() => SlaPolicyView)
export class SlaPoliciesResolver {
  constructor(private readonly policies: SlaPoliciesService) {}

  @Query(() => SlaPolicyConnection, { description: 'SLA policies in the order they are tried.' })
  slaPolicies(@CurrentPrincipal() principal: Principal, @Args() args: SlaPoliciesArgs): Promise<SlaPolicyConnection> {
    return connection(() => this.policies.list(principal, { limit: args.first, cursor: args.after }), slaPolicyCursor);
  }

  @Query(() => SlaPolicyView)
  slaPolicy(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<SlaPolicyView> {
    return this.policies.get(principal, id);
  }

  @Mutation(() => SlaPolicyView)
  @AdminOnly()
  createSlaPolicy(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateSlaPolicyInput): Promise<SlaPolicyView> {
    return this.policies.create(principal, input);
  }

  @Mutation(() => SlaPolicyView)
  @AdminOnly()
  updateSlaPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateSlaPolicyInput,
  ): Promise<SlaPolicyView> {
    return this.policies.update(principal, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the id of the deleted policy.' })
  @AdminOnly()
  async deleteSlaPolicy(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.policies.delete(principal, id);
    return id;
  }
}
