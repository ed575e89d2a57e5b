import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { UpdateSlaSettingsInput, SlaSettingsView } from './sla-settings.dto';
import { SlaSettingsService } from './sla-settings.service';

@Resolver(() => SlaSettingsView)
export class SlaSettingsResolver {
  constructor(private readonly settings: SlaSettingsService) {}

  @Query(() => SlaSettingsView, { description: 'Workspace-wide SLA settings, such as after how many days resolved tickets close.' })
  slaSettings(@CurrentPrincipal() principal: Principal): Promise<SlaSettingsView> {
    return this.settings.get(principal);
  }

  @Mutation(() => SlaSettingsView, { description: 'Admins only. Changes only the fields sent.' })
  @AdminOnly()
  updateSlaSettings(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateSlaSettingsInput): Promise<SlaSettingsView> {
    return this.settings.update(principal, input);
  }
}
