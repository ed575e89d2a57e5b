import { startTestApp, TestApp } from './support/test-app';

// Root fields no other test sent (test/graphql-root-fields.spec.ts lists them), each checked against what REST answers.
describe('GraphQL parity', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await t.http.post('/graphql').set(admin).send({ query, variables }).expect(200);
    return response.body as { data: Record<string, any>; errors?: { extensions: Record<string, any> }[] };
  };
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const body = await gql(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const workday = ['09:00-17:00'];
  const weekly = { monday: workday, tuesday: workday, wednesday: workday, thursday: workday, friday: workday, saturday: [], sunday: [] };

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' });
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  it('manages business-hours calendars as REST does', async () => {
    const { createBusinessHours: created } = await ok(
      'mutation($input: CreateBusinessHoursInput!) { createBusinessHours(input: $input) { id name timezone weekly } }',
      { input: { name: 'Berlin office', timezone: 'Europe/Berlin', weekly } },
    );
    expect(created).toMatchObject({ name: 'Berlin office', timezone: 'Europe/Berlin' });
    const { updateBusinessHours } = await ok('mutation($id: ID!) { updateBusinessHours(id: $id, input: { name: "Berlin HQ" }) { name } }', { id: created.id });
    expect(updateBusinessHours.name).toBe('Berlin HQ');
    const rest = (await t.http.get(`/v1/business-hours/${created.id}`).set(admin).expect(200)).body;
    const { businessHours } = await ok('query($id: ID!) { businessHours(id: $id) { id name timezone weekly } }', { id: created.id });
    expect(businessHours).toEqual({ id: rest.id, name: rest.name, timezone: rest.timezone, weekly: rest.weekly });
    const { businessHoursCalendars } = await ok('{ businessHoursCalendars(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }');
    expect(businessHoursCalendars.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(created.id);
    expect(businessHoursCalendars.pageInfo.endCursor).toBe(businessHoursCalendars.edges.at(-1).cursor);
    const bad = await gql('mutation { createBusinessHours(input: { name: "x", timezone: "Mars/Olympus", weekly: {} }) { id } }');
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
    expect((await ok('mutation($id: ID!) { deleteBusinessHours(id: $id) }', { id: created.id })).deleteBusinessHours).toBe(created.id);
    await t.http.get(`/v1/business-hours/${created.id}`).set(admin).expect(404);
  });

  it('manages SLA policies as REST does', async () => {
    const { createSlaPolicy: created } = await ok(
      'mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id name position targets { urgent { firstResponse } } } }',
      { input: { name: 'Urgent first', targets: { urgent: { firstResponse: 30, resolution: 240 } } } },
    );
    expect(created).toMatchObject({ name: 'Urgent first', targets: { urgent: { firstResponse: 30 } } });
    const { updateSlaPolicy } = await ok('mutation($id: ID!) { updateSlaPolicy(id: $id, input: { name: "Urgent" }) { name } }', { id: created.id });
    expect(updateSlaPolicy.name).toBe('Urgent');
    const { slaPolicy } = await ok('query($id: ID!) { slaPolicy(id: $id) { id name position } }', { id: created.id });
    const rest = (await t.http.get(`/v1/sla-policies/${created.id}`).set(admin).expect(200)).body;
    expect(slaPolicy).toEqual({ id: rest.id, name: rest.name, position: rest.position });
    expect((await ok('mutation($id: ID!) { deleteSlaPolicy(id: $id) }', { id: created.id })).deleteSlaPolicy).toBe(created.id);
    const gone = await gql('query($id: ID!) { slaPolicy(id: $id) { id } }', { id: created.id });
    expect(gone.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('updates, reads, dry-runs and deletes automation rules', async () => {
    const { createAutomationRule: rule } = await ok(
      `mutation { createAutomationRule(input: { name: "Outage", events: ["ticket.created"],
        conditions: { all: [{ field: "subject", operator: "contains", value: "outage" }] }, actions: [{ type: set_priority, priority: urgent }] }) { id } }`,
    );
    const { updateAutomationRule } = await ok('mutation($id: ID!) { updateAutomationRule(id: $id, input: { name: "Outages" }) { id name } }', { id: rule.id });
    expect(updateAutomationRule).toEqual({ id: rule.id, name: 'Outages' });
    expect((await ok('query($id: ID!) { automationRule(id: $id) { name events } }', { id: rule.id })).automationRule).toEqual({ name: 'Outages', events: ['ticket.created'] });
    const { testAutomationRules } = await ok(
      'query { testAutomationRules(input: { ticket: { subject: "Big outage", message: { body: "down" } } }) { event fired { ruleId name changes } } }',
    );
    expect(testAutomationRules.event).toBe('ticket.created');
    expect(testAutomationRules.fired).toEqual([{ ruleId: rule.id, name: 'Outages', changes: { priority: { before: 'normal', after: 'urgent' } } }]);
    expect((await ok('mutation($id: ID!) { deleteAutomationRule(id: $id) }', { id: rule.id })).deleteAutomationRule).toBe(rule.id);
    await t.http.get(`/v1/automation-rules/${rule.id}`).set(admin).expect(404);
  });

  it('lists, reads and updates macros', async () => {
    const { createMacro: macro } = await ok('mutation { createMacro(input: { name: "Close", actions: [{ type: set_status, status: resolved }] }) { id } }');
    const { updateMacro } = await ok('mutation($id: ID!) { updateMacro(id: $id, input: { name: "Resolve" }) { id name } }', { id: macro.id });
    expect(updateMacro).toEqual({ id: macro.id, name: 'Resolve' });
    expect((await ok('query($id: ID!) { macro(id: $id) { name } }', { id: macro.id })).macro).toEqual({ name: 'Resolve' });
    const { macros } = await ok('{ macros(first: 50) { edges { node { id name } } pageInfo { hasNextPage } } }');
    expect(macros.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(macro.id);
  });

  it('pages the webhook delivery log like REST, and redelivers', async () => {
    const hook = (await t.http.post('/v1/webhooks').set(admin).send({ url: 'http://127.0.0.1:9/hook', events: ['ticket.created'] }).expect(201)).body;
    for (let i = 0; i < 3; i++) await t.http.post(`/v1/webhooks/${hook.id}/test`).set(admin).expect(202);
    const rest = (await t.http.get(`/v1/webhooks/${hook.id}/deliveries?limit=2`).set(admin).expect(200)).body;
    const page = 'query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 2, after: $after, status: pending) { edges { cursor node { id eventType status } } pageInfo { hasNextPage endCursor } } }';
    const first = (await ok(page, { id: hook.id })).webhookDeliveries;
    expect(first.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(rest.data.map((delivery: { id: string }) => delivery.id));
    expect(first.edges[0].node).toMatchObject({ eventType: 'webhook.ping', status: 'pending' });
    // endCursor is REST's nextCursor, and any edge's cursor resumes right after its row.
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: rest.nextCursor });
    const fromFirstEdge = (await ok(page, { id: hook.id, after: first.edges[0].cursor })).webhookDeliveries;
    expect(fromFirstEdge.edges[0].node.id).toBe(first.edges[1].node.id);
    const last = (await ok(page, { id: hook.id, after: first.pageInfo.endCursor })).webhookDeliveries;
    expect(last.edges).toHaveLength(1);
    expect(last.pageInfo).toEqual({ hasNextPage: false, endCursor: last.edges[0].cursor });

    const { redeliverWebhookDelivery } = await ok('mutation($w: ID!, $d: ID!) { redeliverWebhookDelivery(webhookId: $w, deliveryId: $d) { id status } }', {
      w: hook.id, d: last.edges[0].node.id,
    });
    expect(redeliverWebhookDelivery).toEqual({ id: last.edges[0].node.id, status: 'pending' });
    const other = await t.newWorkspace();
    const foreign = await t.http.post('/graphql').set(t.auth(other.key)).send({ query: page, variables: { id: hook.id } }).expect(200);
    expect(foreign.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('names the after argument when a cursor is refused', async () => {
    const { errors } = await gql('{ teams(after: "not-a-cursor") { edges { cursor } } }');
    expect(errors?.[0].extensions).toMatchObject({ code: 'INVALID_CURSOR', status: 400, errors: [{ field: 'after' }] });
    const wrongSort = await ok('{ tickets(first: 1, sort: createdAt) { pageInfo { endCursor } } }');
    await t.http.post('/v1/tickets').set(admin).send({ subject: 's', message: { body: 'b' }, requester: { email: 'p@example.com' } }).expect(201);
    const reused = await gql('query($after: String) { tickets(after: $after, sort: priority) { edges { cursor } } }', { after: (await ok('{ tickets(first: 1) { pageInfo { endCursor } } }')).tickets.pageInfo.endCursor });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'INVALID_CURSOR', errors: [{ field: 'after' }] });
    expect(wrongSort.tickets.pageInfo.endCursor).toBeNull();
  });

  it('suggests for a ticket what REST suggests, and never across workspaces', async () => {
    const ticket = (await t.http.post('/v1/tickets').set(admin).send({ subject: 'Printer on fire', message: { body: 'help' }, requester: { email: 's@example.com' } }).expect(201)).body;
    const rest = (await t.http.get(`/v1/tickets/${ticket.id}/suggestions`).set(admin).expect(200)).body;
    const query = 'query($id: ID!) { ticketSuggestions(ticketId: $id) { enoughHistory trainedOn minimumHistory message type { value confidence } priority { value confidence } team { value { id name } confidence } tags { value confidence } } }';
    const { ticketSuggestions } = await ok(query, { id: ticket.id });
    expect(ticketSuggestions).toEqual(rest);
    expect(ticketSuggestions).toMatchObject({ enoughHistory: false, trainedOn: 0, type: null, tags: [] });
    const other = await t.newWorkspace();
    const foreign = await t.http.post('/graphql').set(t.auth(other.key)).send({ query, variables: { id: ticket.id } }).expect(200);
    expect(foreign.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('rates a resolved ticket once, admins only, with the REST conflicts and validation', async () => {
    const ticket = (await t.http.post('/v1/tickets').set(admin).send({ subject: 'Rate me', message: { body: 'b' }, requester: { email: 'r@example.com' } }).expect(201)).body;
    const rate = 'mutation($id: ID!, $input: RateTicketInput!) { rateTicket(ticketId: $id, input: $input) { ticketId requesterId rating comment resolvedAt } }';
    expect((await gql(rate, { id: ticket.id, input: { rating: 'good' } })).errors?.[0].extensions).toMatchObject({ code: 'TICKET_NOT_RESOLVED', status: 409 });
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'resolved' }).expect(200);
    const tooLong = await gql(rate, { id: ticket.id, input: { rating: 'bad', comment: 'x'.repeat(2001) } });
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'comment' })] });
    const { rateTicket } = await ok(rate, { id: ticket.id, input: { rating: 'good', comment: 'Kind' } });
    expect(rateTicket).toMatchObject({ ticketId: ticket.id, requesterId: ticket.requester.id, rating: 'good', comment: 'Kind' });
    expect((await gql(rate, { id: ticket.id, input: { rating: 'bad' } })).errors?.[0].extensions).toMatchObject({ code: 'ALREADY_RATED', status: 409 });
    const agent = (await t.http.post('/v1/agents').set(admin).send({ name: 'Rater', email: 'rater@example.com', role: 'agent' }).expect(201)).body;
    const key = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent key', role: 'agent', agentId: agent.id }).expect(201)).body.key;
    const asAgent = await t.http.post('/graphql').set(t.auth(key)).send({ query: rate, variables: { id: ticket.id, input: { rating: 'good' } } }).expect(200);
    expect(asAgent.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('creates, lists and revokes API keys, admins only', async () => {
    const { createApiKey: created } = await ok('mutation { createApiKey(input: { name: "Zapier", role: agent }) { id name role key prefix } }');
    expect(created).toMatchObject({ name: 'Zapier', role: 'agent', key: expect.stringContaining(created.prefix) });
    const { apiKeys } = await ok('{ apiKeys { id name role } }');
    const rest = (await t.http.get('/v1/api-keys').set(admin).expect(200)).body.data;
    expect(apiKeys).toEqual(rest.map((key: { id: string; name: string; role: string }) => ({ id: key.id, name: key.name, role: key.role })));
    const asAgent = await t.http.post('/graphql').set(t.auth(created.key)).send({ query: '{ apiKeys { id } }' }).expect(200);
    expect(asAgent.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect((await ok('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: created.id })).revokeApiKey).toBe(created.id);
    await t.http.get('/v1/tickets').set(t.auth(created.key)).expect(401);
    const other = await t.newWorkspace();
    const foreign = await t.http.post('/graphql').set(t.auth(other.key)).send({ query: 'mutation($id: ID!) { revokeApiKey(id: $id) }', variables: { id: rest[0].id } }).expect(200);
    expect(foreign.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('reads and updates the SLA settings as REST does', async () => {
    expect((await ok('{ slaSettings { autoCloseAfterDays } }')).slaSettings).toEqual((await t.http.get('/v1/sla-settings').set(admin).expect(200)).body);
    expect((await ok('mutation { updateSlaSettings(input: { autoCloseAfterDays: 9 }) { autoCloseAfterDays } }')).updateSlaSettings).toEqual({ autoCloseAfterDays: 9 });
    expect((await t.http.get('/v1/sla-settings').set(admin).expect(200)).body).toEqual({ autoCloseAfterDays: 9 });
    const bad = await gql('mutation { updateSlaSettings(input: { autoCloseAfterDays: 0 }) { autoCloseAfterDays } }');
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'autoCloseAfterDays' })] });
  });
});
