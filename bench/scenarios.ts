/** What the load generator needs to build requests; collected by the runner after seeding. */
export interface ScenarioContext {
  apiKey: string;
  listTeamId: string;
  /** Tickets read by id. */
  readTicketIds: string[];
  /** Tickets that receive messages, many of them so concurrent writers rarely wait on one ticket's row lock. */
  messageTicketIds: string[];
}

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface Scenario {
  name: string;
  title: string;
  /** Status every response must have; anything else counts as an error. */
  expectStatus: number;
  /** Called once per request, so each create names a new requester and reads spread over many tickets. */
  next(context: ScenarioContext, counter: number): BenchRequest;
}

const pick = <T>(items: T[], counter: number): T => items[(counter * 7919) % items.length];

export const GRAPHQL_TICKET_PAGE = `query TicketPage($team: ID!) {
  tickets(first: 50, sort: updatedAtDesc, filter: { status: [open], teamId: $team }) {
    edges { node { id number subject status priority updatedAt requester { id name email } assignee { id name } messagesCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const SCENARIOS: Scenario[] = [
  {
    name: 'create',
    title: 'create ticket (new requester)',
    expectStatus: 201,
    next: (_context, counter) => ({
      method: 'POST',
      path: '/v1/tickets',
      body: JSON.stringify({
        subject: 'Cannot sign in after the update',
        requester: { email: `load-${process.pid}-${Date.now().toString(36)}-${counter}@bench.example`, name: 'Load Requester' },
        message: { body: 'Since this morning the login page loops back to itself. Steps: open the app, sign in, get redirected.' },
        priority: 'high',
        tags: ['login'],
      }),
    }),
  },
  {
    name: 'read',
    title: 'read one ticket',
    expectStatus: 200,
    next: (context, counter) => ({ method: 'GET', path: `/v1/tickets/${pick(context.readTicketIds, counter)}` }),
  },
  {
    name: 'list',
    title: 'list 50 open by team, -updatedAt',
    expectStatus: 200,
    next: (context) => ({ method: 'GET', path: `/v1/tickets?status=open&teamId=${context.listTeamId}&sort=-updatedAt&limit=50` }),
  },
  {
    name: 'message',
    title: 'add public message',
    expectStatus: 201,
    next: (context, counter) => ({
      method: 'POST',
      path: `/v1/tickets/${pick(context.messageTicketIds, counter)}/messages`,
      body: JSON.stringify({ body: 'Thanks for the report. Could you try clearing the cookies for our domain and signing in again?' }),
    }),
  },
  {
    name: 'graphql',
    title: 'GraphQL page of 50 tickets',
    expectStatus: 200,
    next: (context) => ({
      method: 'POST',
      path: '/graphql',
      body: JSON.stringify({ query: GRAPHQL_TICKET_PAGE, variables: { team: context.listTeamId } }),
    }),
  },
];
