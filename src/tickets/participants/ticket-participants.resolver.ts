import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { AddCcByEmailInput, TicketView } from '../dto/ticket.dto';
import { TicketParticipantsService } from './ticket-participants.service';

/** Followers and CCs, as PUT/DELETE /v1/tickets/{id}/followers/{agentId} and …/ccs/{contactId} do it. */
@Resolver(() => TicketView)
export class TicketParticipantsResolver {
  constructor(private readonly participants: TicketParticipantsService) {}

  @Mutation(() => TicketView, { description: 'An agent may follow as themselves; an admin may add any agent.' })
  followTicket(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string, @Args('agentId', { type: () => ID }) agentId: string): Promise<TicketView> {
    return this.participants.follow(principal, ticketId, agentId);
  }

  @Mutation(() => TicketView, { description: 'An agent may stop following as themselves; an admin may remove any follower.' })
  unfollowTicket(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string, @Args('agentId', { type: () => ID }) agentId: string): Promise<TicketView> {
    return this.participants.unfollow(principal, ticketId, agentId);
  }

  @Mutation(() => TicketView)
  addTicketCc(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string, @Args('contactId', { type: () => ID }) contactId: string): Promise<TicketView> {
    return this.participants.addCc(principal, ticketId, contactId);
  }

  @Mutation(() => TicketView, { description: 'The contact is found by email (case-insensitively), or created.' })
  addTicketCcByEmail(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string, @Args('input') input: AddCcByEmailInput): Promise<TicketView> {
    return this.participants.addCcByEmail(principal, ticketId, input);
  }

  @Mutation(() => TicketView)
  removeTicketCc(@CurrentPrincipal() principal: Principal, @Args('ticketId', { type: () => ID }) ticketId: string, @Args('contactId', { type: () => ID }) contactId: string): Promise<TicketView> {
    return this.participants.removeCc(principal, ticketId, contactId);
  }
}
