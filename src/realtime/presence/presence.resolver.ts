import { Inject, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PresenceChangeView, PresenceState, PresenceStateEnum, PresenceView } from './dto/presence.dto';
import { PresentAgentGuard } from './present-agent.guard';
import { PresenceService } from './presence.service';

@Resolver()
export class PresenceResolver {
  constructor(private readonly presenceService: PresenceService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Query(() => [PresenceView], { description: 'The agents viewing or replying to the ticket now, earliest arrival first.' })
  async ticketPresence(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string): Promise<PresenceView[]> {
    return (await this.presenceService.list(principal, ticketId)).data;
  }

  @UseGuards(PresentAgentGuard)
  @Mutation(() => [PresenceView], { description: 'Marks the calling agent on the ticket for PRESENCE_TTL_SECONDS; call again before expiresAt to stay. Answers who is on the ticket now.' })
  async markPresence(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('state', { type: () => PresenceStateEnum }) state: PresenceState,
  ): Promise<PresenceView[]> {
    return (await this.presenceService.mark(principal, ticketId, state)).data;
  }

  @UseGuards(PresentAgentGuard)
  @Mutation(() => Boolean, { description: 'Removes the calling agent from the ticket at once.' })
  async leaveTicket(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string): Promise<boolean> {
    await this.presenceService.leave(principal, ticketId);
    return true;
  }

  @Subscription(() => PresenceChangeView, {
    description: 'Who is on the ticket: the list now, then again after every arrival, state change or departure (explicit or by expiry). Over WebSocket (graphql-ws) only.',
    resolve: (change: PresenceChangeView) => change,
  })
  presence(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string): Promise<AsyncIterableIterator<PresenceChangeView>> {
    return this.presenceService.watch(principal, ticketId, this.config.realtimePush.maxQueuedMessages);
  }
}
