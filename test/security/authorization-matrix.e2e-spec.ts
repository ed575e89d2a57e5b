import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { AUTHORIZATION_MATRIX, CALLERS, Caller, DECIDED_BY_THE_BODY, GRAPHQL_ADMIN_OPERATIONS, GraphqlAdminOperation, Outcome } from './authorization-matrix';

/**
 * Every REST operation of the committed OpenAPI document, called by every kind of caller, against real resources of
 * the main workspace; the outcome must be the one written down in authorization-matrix.ts.
 */
interface Operation {
  operationId: string;
  method: string;
  path: string;
  hasBody: boolean;
}

const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '../../openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
};
const OPERATIONS: Operation[] = Object.entries(DOCUMENT.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ operationId: operation.operationId, method, path, hasBody: Boolean(operation.requestBody) })));

/** Outcome classes as statuses; 404 is its own class, so fixtures must be real for every caller that is allowed. */
function matches(outcome: Outcome, status: number): boolean {
  switch (outcome) {
    case 'allowed':
      return (status >= 200 && status < 300) || (status >= 400 && status < 500 && ![401, 403, 404].includes(status));
    case '401':
      return status === 401;
    case '403':
      return status === 403;
    case '404-not-visible':
      return status === 404;
    case 'unknown-reference':
      return status === 422;
  }
}

const unique = () => randomBytes(4).toString('hex');
const ALL_WEEK = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, ['00:00-24:00']]));
const PASSWORD = 'a long enough password';

function inboundEmail(from: string, withAttachment: boolean): string {
  const id = unique();
  const lines = [
    `From: Jo Requester <${from}>`, 'To: support@acme.test', `Subject: Printer ${id}`, 'Date: Tue, 3 Mar 2026 09:00:00 +0000',
    `Message-ID: <${id}@mail.example.com>`, 'MIME-Version: 1.0',
  ];
  const body = withAttachment
    ? ['Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'It is on fire.', '--b',
      'Content-Type: text/plain; name="notes.txt"', 'Content-Disposition: attachment; filename="notes.txt"', '', 'smoke', '--b--', '']
    : ['Content-Type: text/plain', '', 'It is on fire.', ''];
  return Buffer.from([...lines, ...body].join('\r\n')).toString('base64');
}

describe('authorization matrix (every operation of openapi.json times every kind of caller)', () => {
  let t: TestApp;
  const credentials = {} as Record<Caller, string | null>;
  const ids: Record<string, string> = {};
  let admin: { Authorization: string };
  let boEmail: string;

  const post = async (path: string, body: unknown, auth = admin) => {
    const response = await t.http.post(path).set(auth).send(body as object);
    if (response.status >= 300) throw new Error(`fixture ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const login = async () => post('/v1/auth/login', { email: boEmail, password: PASSWORD, workspace: 'default' }, {} as never);

  /** Resources a destructive operation consumes: each call gets its own. */
  const fresh: Record<string, () => Promise<string>> = {
    'api-keys': async () => (await post('/v1/api-keys', { name: `Doomed ${unique()}`, role: 'agent' })).id,
    contacts: async () => (await post('/v1/contacts', { email: `doomed-${unique()}@example.com` })).id,
    teams: async () => (await post('/v1/teams', { name: `Doomed ${unique()}` })).id,
    organizations: async () => (await post('/v1/organizations', { name: `Doomed ${unique()}` })).id,
    'business-hours': async () => (await post('/v1/business-hours', { name: `Doomed ${unique()}`, timezone: 'UTC', weekly: ALL_WEEK })).id,
    'sla-policies': async () => (await post('/v1/sla-policies', { name: `Doomed ${unique()}`, targets: {} })).id,
    macros: async () => (await post('/v1/macros', { name: `Doomed ${unique()}`, actions: [{ type: 'add_note', body: 'x' }] })).id,
    'automation-rules': async () => (await post('/v1/automation-rules', { name: `Doomed ${unique()}`, enabled: false, events: ['ticket.created'], conditions: {}, actions: [{ type: 'add_tags', tags: ['doomed'] }] })).id,
    views: async () => (await post('/v1/views', { name: `Doomed ${unique()}`, visibility: 'shared' })).id,
    webhooks: async () => (await post('/v1/webhooks', { url: 'http://127.0.0.1:9/doomed', events: ['ticket.created'] })).id,
    '{entity}': async () => (await post('/v1/fields/ticket', { key: `doomed_${unique()}`, label: 'Doomed', type: 'text' })).key,
    mailboxes: async () => (await post('/v1/mailboxes', { address: `doomed-${unique()}@acme.test`, name: 'Doomed' })).id,
  };

  /** The main workspace's resource each path parameter names, by the collection it follows in the path. */
  async function pathOf(operation: Operation): Promise<string> {
    const segments = operation.path.split('/');
    const filled: string[] = [];
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index];
      const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!parameter) {
        filled.push(segment);
        continue;
      }
      const collection = segments[index - 1];
      const consumed = operation.method === 'delete' && index === segments.length - 1 && collection in fresh;
      const key = parameter === 'id' ? (collection === 'tickets' && segments[index - 2] === 'portal' ? 'portal-tickets' : collection) : parameter;
      if (consumed) filled.push(await fresh[collection]());
      else if (parameter === 'entity') filled.push('ticket');
      else if (ids[key]) filled.push(ids[key]);
      else throw new Error(`no fixture for {${parameter}} after /${collection} in ${operation.operationId}`);
    }
    return filled.join('/');
  }

  /** A minimal valid body per operation; the caller's outcome is then about authorization alone. */
  const bodies: Record<string, () => unknown> = {
    Auth_login: () => ({ email: boEmail, password: PASSWORD, workspace: 'default' }),
    Auth_refresh: async () => ({ refreshToken: (await login()).refreshToken }),
    Auth_logout: async () => ({ refreshToken: (await login()).refreshToken }),
    ApiKeys_create: () => ({ name: `Key ${unique()}`, role: 'agent' }),
    Workspaces_create: () => ({ name: `Tenant ${unique()}` }),
    Agents_create: () => ({ name: 'New agent', email: `agent-${unique()}@example.com`, role: 'agent' }),
    Agents_update: () => ({ name: `Target ${unique()}` }),
    Contacts_create: () => ({ email: `contact-${unique()}@example.com` }),
    Contacts_update: () => ({ name: `Contact ${unique()}` }),
    Fields_create: () => ({ key: `field_${unique()}`, label: 'Field', type: 'text' }),
    Fields_update: () => ({ label: `Field ${unique()}` }),
    Fields_updateSettings: () => ({ strictCustomFields: false }),
    Teams_create: () => ({ name: `Team ${unique()}` }),
    Teams_update: () => ({ name: `Team ${unique()}` }),
    Organizations_create: () => ({ name: `Org ${unique()}` }),
    Organizations_update: () => ({ name: `Org ${unique()}` }),
    Tickets_create: () => ({ subject: 'Help', message: { body: 'please' }, requester: { email: 'someone@example.com' } }),
    Tickets_update: () => ({ priority: 'high' }),
    TicketParticipants_addCcByEmail: () => ({ email: `cc-${unique()}@example.com` }),
    Tickets_merge: async () => ({ sourceIds: [(await post('/v1/tickets', { subject: 'Duplicate', message: { body: 'again' }, requester: { email: 'dup@example.com' } })).id] }),
    Conversation_add: () => ({ body: 'Looking into it', visibility: 'internal' }),
    TicketPresence_mark: () => ({ state: 'viewing' }),
    BusinessHours_create: () => ({ name: `Hours ${unique()}`, timezone: 'UTC', weekly: ALL_WEEK }),
    BusinessHours_update: () => ({ name: `Hours ${unique()}` }),
    SlaPolicies_create: () => ({ name: `Policy ${unique()}`, targets: {} }),
    SlaPolicies_update: () => ({ name: `Policy ${unique()}` }),
    SlaSettings_update: () => ({ autoCloseAfterDays: 4 }),
    AssignTicket_assign: () => ({}),
    // A workspace macro: agents may only create their own, so this body is the one that tells roles apart.
    Macros_create: () => ({ name: `Macro ${unique()}`, actions: [{ type: 'add_note', body: 'x' }] }),
    Macros_update: () => ({ name: `Macro ${unique()}` }),
    // A shared view: agents may only create and change their personal ones, so this body tells roles apart.
    Views_create: () => ({ name: `View ${unique()}`, visibility: 'shared', filter: { status: ['open'] } }),
    Views_update: () => ({ name: `View ${unique()}` }),
    Tags_rename: () => ({ from: 'matrix-a', to: 'matrix-b' }),
    AutomationRules_create: () => ({ name: `Rule ${unique()}`, enabled: false, events: ['ticket.created'], conditions: {}, actions: [{ type: 'add_tags', tags: ['x'] }] }),
    AutomationRules_test: () => ({ ticket: { subject: 'Outage', message: { body: 'all down' } } }),
    AutomationRules_update: () => ({ name: `Rule ${unique()}` }),
    Satisfaction_rate: () => ({ rating: 'good' }),
    Webhooks_create: () => ({ url: 'http://127.0.0.1:9/hook', events: ['ticket.created'] }),
    Webhooks_update: () => ({ description: `hook ${unique()}` }),
    Mailboxes_create: () => ({ address: `box-${unique()}@acme.test`, name: 'Box' }),
    Mailboxes_update: () => ({ name: `Box ${unique()}` }),
    EmailInbound_receive: () => ({ raw: inboundEmail(`mailer-${unique()}@example.com`, false) }),
    ChatChannels_transcript: () => ({
      transcriptId: `tr-${unique()}`, visitor: { email: 'vera@example.com', name: 'Vera' }, startedAt: '2026-03-01T10:00:00.000Z', endedAt: '2026-03-01T10:05:00.000Z',
      messages: [{ author: 'visitor', body: 'My invoice is wrong', sentAt: '2026-03-01T10:00:10.000Z' }],
    }),
    ChatChannels_convert: () => ({ chatMessage: { platform: 'slack', channelId: 'C1', messageId: `M-${unique()}`, author: { name: 'Sam', email: 'sam@example.com' }, text: 'VPN down' }, subject: 'VPN' }),
    ChatChannels_inbound: () => ({ platform: 'slack', channelId: 'C-ops', threadId: 'TH-matrix', messageId: `R-${unique()}`, author: { name: 'Olly' }, text: 'Rebooted' }),
    Escalations_create: () => ({ platform: 'slack', channelId: 'C-ops' }),
    Escalations_update: () => ({ threadId: 'TH-matrix' }),
    PortalAdmin_mint: () => ({ contactId: ids.requester }),
    PortalTickets_create: () => ({ subject: 'From the portal', message: { body: 'Please help' } }),
    PortalTickets_addMessage: () => ({ body: 'Any news?' }),
    PortalTickets_rate: () => ({ rating: 'good' }),
  };
  const queries: Record<string, Record<string, string>> = {
    SlaReport_report: { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' },
    Search_search: { q: 'printer' },
    PortalSearch_search: { q: 'printer' },
    Reports_breakdown: { by: 'priority' },
    Macros_apply: { dryRun: 'true' },
    // A granted stream would never end: a filter refused after authorization (422) answers the caller's question.
    Events_stream: { types: 'not.a.type' },
    PortalEvents_stream: { after: 'not-a-cursor' },
  };

  beforeAll(async () => {
    // About 17 logins of one agent, many in parallel: each counts as a failure until it succeeds, so the throttle is loosened.
    t = await startTestApp({ RATE_LIMIT_ENABLED: 'false', LOGIN_MAX_FAILURES_BEFORE_DELAY: '1000', LOGIN_IP_MAX_FAILURES_BEFORE_DELAY: '100000' });
    admin = t.auth(t.main.key);
    const other = await t.newWorkspace();
    const ana = await post('/v1/agents', { name: 'Ana', email: `ana-${unique()}@example.com`, role: 'agent' });
    boEmail = `bo-${unique()}@example.com`;
    await post('/v1/agents', { name: 'Bo', email: boEmail, role: 'agent', password: PASSWORD });
    ids.agentId = ana.id;
    ids.contactId = (await post('/v1/contacts', { email: `cc-${unique()}@example.com` })).id;
    ids.agents = (await post('/v1/agents', { name: 'Target', email: `target-${unique()}@example.com`, role: 'agent' })).id;

    const email = await post('/v1/channels/email/inbound', { raw: inboundEmail('jo@example.com', true) });
    const ticket = await t.http.get(`/v1/tickets/${email.ticketId}`).set(admin);
    const [message] = (await t.http.get(`/v1/tickets/${email.ticketId}/messages`).set(admin)).body.data;
    ids.tickets = ids['portal-tickets'] = email.ticketId;
    ids.messageId = message.id;
    ids.attachmentId = message.attachments[0].id;
    ids.requester = ids.contacts = ticket.body.requester.id;
    ids.teams = (await post('/v1/teams', { name: `Team ${unique()}` })).id;
    ids.organizations = (await post('/v1/organizations', { name: `Org ${unique()}` })).id;
    ids['business-hours'] = await fresh['business-hours']();
    ids['sla-policies'] = await fresh['sla-policies']();
    ids['automation-rules'] = await fresh['automation-rules']();
    ids.macros = ids.macroId = await fresh.macros();
    ids.views = await fresh.views();
    ids.tag = 'matrix-doomed';
    ids.mailboxes = await fresh.mailboxes();
    ids.webhooks = await fresh.webhooks();
    ids.deliveryId = (await post(`/v1/webhooks/${ids.webhooks}/test`, {})).id;
    ids.escalationId = (await post(`/v1/tickets/${ids.tickets}/escalations`, { platform: 'slack', channelId: 'C-ops' })).id;
    await t.http.patch(`/v1/tickets/${ids.tickets}/escalations/${ids.escalationId}`).set(admin).send({ threadId: 'TH-matrix' }).expect(200);

    credentials.platform = t.main.key;
    credentials.admin = (await post('/v1/api-keys', { name: 'Admin', role: 'admin' })).key;
    credentials.agent = (await post('/v1/api-keys', { name: 'Ana key', role: 'agent', agentId: ana.id })).key;
    credentials.agentless = (await post('/v1/api-keys', { name: 'Integration', role: 'agent' })).key;
    credentials.login = (await login()).accessToken;
    credentials.portal = (await post('/v1/portal/tokens', { contactId: ids.requester })).token;
    credentials.none = null;
    credentials.otherWorkspace = other.key;
    ids.key = (await post('/v1/fields/ticket', { key: `matrix_${unique()}`, label: 'Matrix', type: 'text' })).key;
  });
  afterAll(async () => {
    await t?.close();
  });

  const resolve = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (value === null || typeof value !== 'object') return value;
    const kind = (value as { fixture?: string }).fixture;
    if (kind === 'name') return `Gql ${unique()}`;
    if (kind === 'email') return `gql-${unique()}@example.com`;
    if (kind?.startsWith('fresh:')) return fresh[kind.slice('fresh:'.length)]();
    if (kind) {
      if (!ids[kind]) throw new Error(`no fixture ${kind}`);
      return ids[kind];
    }
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, entry]) => [key, await resolve(entry)])));
  };

  const call = async (operation: Operation, caller: Caller, body: unknown) => {
    const path = await pathOf(operation);
    const request = (t.http as unknown as Record<string, (path: string) => import('supertest').Test>)[operation.method](path);
    if (queries[operation.operationId]) request.query(queries[operation.operationId]);
    const credential = credentials[caller];
    if (credential) request.set('Authorization', `Bearer ${credential}`);
    return body === undefined ? request : request.send(body as object);
  };

  it('has one row per operation of the document, no more and no fewer', () => {
    expect(Object.keys(AUTHORIZATION_MATRIX).sort()).toEqual(OPERATIONS.map((operation) => operation.operationId).sort());
    for (const [operationId, row] of Object.entries(AUTHORIZATION_MATRIX)) expect([operationId, Object.keys(row).sort()]).toEqual([operationId, [...CALLERS].sort()]);
  });

  it('answers every caller of every operation as the matrix says', async () => {
    const mismatches: string[] = [];
    // A tag is a name the caller sends (and gets echoed back), not an id of the main workspace.
    const foreignIds = () => Object.entries(ids).filter(([key]) => key !== 'tag').map(([, id]) => id);
    const statuses: number[] = [];
    for (const operation of OPERATIONS) {
      const row = AUTHORIZATION_MATRIX[operation.operationId];
      if (!row) continue;
      // The callers of one operation at once: each destructive call has a resource of its own.
      await Promise.all(CALLERS.map(async (caller) => {
        const body = operation.hasBody ? await (bodies[operation.operationId] ?? (() => ({})))() : undefined;
        const response = await call(operation, caller, body);
        statuses.push(response.status);
        if (!matches(row[caller], response.status)) {
          mismatches.push(`${operation.operationId} as ${caller}: expected ${row[caller]}, got ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
        // Whatever another workspace is allowed to do, nothing of this workspace comes back to it.
        if (caller === 'otherWorkspace' && response.status < 300) {
          const text = JSON.stringify(response.body ?? '') + (response.text ?? '');
          const leaked = foreignIds().filter((id) => text.includes(id));
          if (leaked.length > 0) mismatches.push(`${operation.operationId} as otherWorkspace: answered ${response.status} with ids of the main workspace ${leaked.join(', ')}`);
        }
      }));
    }
    expect(statuses).toHaveLength(OPERATIONS.length * CALLERS.length);
    expect(mismatches).toEqual([]);
  });

  it('decides authorization before validating the body: an invalid body still gets the 401 or 403 of the row', async () => {
    const mismatches: string[] = [];
    for (const operation of OPERATIONS.filter((candidate) => candidate.hasBody)) {
      const row = AUTHORIZATION_MATRIX[operation.operationId];
      const refused = CALLERS.filter((candidate) => row?.[candidate] === '401' || row?.[candidate] === '403');
      await Promise.all(refused.map(async (caller) => {
        const response = await call(operation, caller, { notAField: '\u0000', nested: { deep: [1, 2, 3] } });
        // Where the body itself decides (a macro's visibility), the refusal comes from the service, after validation.
        const expected = row[caller] === '403' && DECIDED_BY_THE_BODY.includes(operation.operationId) ? 'allowed' : row[caller];
        if (!matches(expected, response.status) || (expected === 'allowed' && response.status !== 422)) {
          mismatches.push(`${operation.operationId} as ${caller} with an invalid body: expected ${expected}, got ${response.status}`);
        }
      }));
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses agents the GraphQL operations that mirror admin-only REST operations, and hides them from everyone else', async () => {
    const mismatches: string[] = [];
    const send = async (operation: GraphqlAdminOperation, caller: Caller) => {
      const request = t.http.post('/graphql');
      if (credentials[caller]) request.set('Authorization', `Bearer ${credentials[caller]}`);
      const response = await request.send({ query: operation.query, variables: await resolve(operation.variables) });
      return { status: response.status, errors: response.body.errors as Array<{ extensions?: { code?: string } }> | undefined };
    };
    for (const operation of GRAPHQL_ADMIN_OPERATIONS) {
      // The same document from an admin works, so the refusals below are about the caller and not a broken query.
      const asAdmin = await send(operation, 'admin');
      if (asAdmin.errors) mismatches.push(`${operation.name} as admin: ${JSON.stringify(asAdmin.errors)}`);
      // Another workspace's admin passes the role check and then finds none of this workspace's resources.
      const namesFixture = /"fixture":"(?!name"|email")/.test(JSON.stringify(operation.variables));
      const expected: Partial<Record<Caller, string | null>> = {
        agent: 'FORBIDDEN', agentless: 'FORBIDDEN', login: 'FORBIDDEN', portal: 'UNAUTHENTICATED', none: 'UNAUTHENTICATED', otherWorkspace: namesFixture ? 'NOT_FOUND' : null,
      };
      await Promise.all(Object.entries(expected).map(async ([caller, code]) => {
        const response = await send(operation, caller as Caller);
        const actual = response.errors?.[0]?.extensions?.code ?? null;
        if (actual !== code) mismatches.push(`${operation.name} as ${caller}: expected ${code ?? 'no error'}, got ${actual ?? 'no error'} (${response.status})`);
      }));
    }
    expect(mismatches).toEqual([]);
  });
});
