import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../../../auth/auth.decorators';
import { Principal } from '../../../auth/principal';
import { EmailSettingsView, UpdateEmailSettingsInput } from './email-settings.dto';
import { EmailSettingsService } from './email-settings.service';

@Resolver(() => EmailSettingsView)
export class EmailSettingsResolver {
  constructor(private readonly settings: EmailSettingsService) {}

  @Query(() => EmailSettingsView, { description: "Workspace-wide email settings, such as whether an inbound email's Cc addresses become CCs." })
  emailSettings(@CurrentPrincipal() principal: Principal): Promise<EmailSettingsView> {
    return this.settings.get(principal);
  }

  @Mutation(() => EmailSettingsView, { description: 'Admins only. Changes only the fields sent.' })
  @AdminOnly()
  updateEmailSettings(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateEmailSettingsInput): Promise<EmailSettingsView> {
    return this.settings.update(principal, input);
  }
}
