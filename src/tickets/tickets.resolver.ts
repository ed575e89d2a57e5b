import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { AgentsService } from '../agents/agents.service';
import { AgentView } from '../agents/dto/agent.dto';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { ContactsService } from '../contacts/contacts.service';
import { ContactView } from '../contacts/dto/contact.dto';
import { ParentAnsweredField } from '../graphql/parent-answered-fields';
import { requestLoader } from '../graphql/request-loaders';
import { OrganizationView } from '../organizations/dto/organization.dto';
import { OrganizationsService } from '../organizations/organizations.service';
import { TeamView } from '../teams/dto/team.dto';
import { TeamsService } from '../teams/teams.service';
import { ConversationService } from './conversation/conversation.service';
import { AddMessageInput, MessageView } from './dto/message.dto';
import { PageArgs, TicketConnection, TicketsArgs } from './dto/ticket-connection.dto';
import { TicketEventView } from './dto/ticket-event.dto';
import { CreateTicketInput, MergeTicketsInput, TicketView, UpdateTicketInput } from './dto/ticket.dto';
import { ticketListCursor, TicketsService } from './tickets.service';

/** The requester, assignee and team fields a ticket's row holds (its queries join them), answered without a lookup. */
export const TICKET_FIELDS_FROM_ROW: ParentAnsweredField[] = [
  { type: 'Ticket', field: 'requester', subfields: ['id', 'name', 'email'] },
  { type: 'Ticket', field: 'assignee', subfields: ['id', 'name'] },
  { type: 'Ticket', field: 'team', subfields: ['id', 'name'] },
];

@Resolver(() => TicketView)
export class TicketsResolver {
  constructor(
    private readonly ticketsService: TicketsService,
    private readonly conversation: ConversationService,
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
    private readonly teams: TeamsService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => TicketConnection)
  tickets(@CurrentPrincipal() principal: Principal, @Args() args: TicketsArgs): Promise<TicketConnection> {
    return connection(() => this.ticketsService.list(principal, { ...(args.filter ?? {}), limit: args.first, cursor: args.after, sort: args.sort }), ticketListCursor(args.sort));
  }

  @Query(() => TicketView)
  ticket(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<TicketView> {
    return this.ticketsService.get(principal, id);
  }

  @Mutation(() => TicketView)
  createTicket(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateTicketInput): Promise<TicketView> {
    return this.ticketsService.create(principal, input);
  }

  @Mutation(() => TicketView, { description: 'expectedVersion works like If-Match: a stale version fails with PRECONDITION_FAILED and nothing is written.' })
  updateTicket(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateTicketInput,
    @Args('expectedVersion', { type: () => Int, nullable: true }) expectedVersion?: number,
  ): Promise<TicketView> {
    return this.ticketsService.update(principal, id, input, expectedVersion === undefined || expectedVersion === null ? undefined : { raw: String(expectedVersion), version: expectedVersion });
  }

  @Mutation(() => TicketView, { description: 'Merges the source tickets into the target (POST /v1/tickets/{id}/merge); answers the target.' })
  mergeTickets(
    @CurrentPrincipal() principal: Principal,
    @Args('targetId', { type: () => ID }) targetId: string,
    @Args('input') input: MergeTicketsInput,
  ): Promise<TicketView> {
    return this.ticketsService.merge(principal, targetId, input);
  }

  @Mutation(() => MessageView)
  async addMessage(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }) ticketId: string,
    @Args('input') input: AddMessageInput,
  ): Promise<MessageView> {
    return (await this.conversation.addMessage(principal, ticketId, input)).message;
  }

  // A page asking only for what the ticket's row holds (TICKET_FIELDS_FROM_ROW) never reaches these: they load the rest.
  @ResolveField(() => ContactView)
  requester(@Parent() ticket: TicketView, @CurrentPrincipal() principal: Principal, @Context() context: object): Promise<ContactView | null> {
    return requestLoader(context, 'contacts', (ids) => this.contacts.findByIds(principal, ids)).load(ticket.requester.id);
  }

  @ResolveField(() => AgentView, { nullable: true })
  async assignee(@Parent() ticket: TicketView, @CurrentPrincipal() principal: Principal, @Context() context: object): Promise<AgentView | null> {
    if (!ticket.assignee) return null;
    return requestLoader(context, 'agents', (ids) => this.agents.findByIds(principal, ids)).load(ticket.assignee.id);
  }

  @ResolveField(() => TeamView, { nullable: true })
  async team(@Parent() ticket: TicketView, @CurrentPrincipal() principal: Principal, @Context() context: object): Promise<TeamView | null> {
    if (!ticket.team) return null;
    return requestLoader(context, 'teams', (ids) => this.teams.findByIds(principal, ids)).load(ticket.team.id);
  }

  @ResolveField(() => OrganizationView, { nullable: true })
  async organization(@Parent() ticket: TicketView, @CurrentPrincipal() principal: Principal, @Context() context: object): Promise<OrganizationView | null> {
    if (!ticket.organizationId) return null;
    return requestLoader(context, 'organizations', (ids) => this.organizations.findByIds(principal, ids)).load(ticket.organizationId);
  }

  @ResolveField(() => [MessageView], { description: 'In conversation order; page with first/after (after = a message sequence cursor).' })
  async messages(@Parent() ticket: TicketView, @CurrentPrincipal() principal: Principal, @Args() page: PageArgs): Promise<MessageView[]> {
    return (await this.conversation.listMessages(principal, ticket.id, { limit: page.first, cursor: page.after })).data;
  }

  @ResolveField(() => [TicketEventView])
  async events(@Parent() ticket: TicketView, @CurrentPrincipal() principal: Principal, @Args() page: PageArgs): Promise<TicketEventView[]> {
    return (await this.conversation.listEvents(principal, ticket.id, { limit: page.first, cursor: page.after })).data;
  }
}

/** An organization's tickets in GraphQL, newest first. */
@Resolver(() => OrganizationView)
export class OrganizationTicketsResolver {
  constructor(private readonly ticketsService: TicketsService) {}

  @ResolveField(() => TicketConnection, { description: 'The tickets that carry the organization, newest first.' })
  tickets(@Parent() organization: OrganizationView, @CurrentPrincipal() principal: Principal, @Args() page: PageArgs): Promise<TicketConnection> {
    return connection(() => this.ticketsService.list(principal, { organizationId: organization.id, limit: page.first, cursor: page.after, sort: '-createdAt' }), ticketListCursor('-createdAt'));
  }
}
