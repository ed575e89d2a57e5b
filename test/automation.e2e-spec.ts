import { startTestApp, TestApp } from './support/test-app';

describe('automation rules', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let agentId: string;
  let ops: { id: string };

  const createRule = async (body: Record<string, unknown>, auth = admin) => {
    const response = await t.http.post('/v1/automation-rules').set(auth).send({ events: ['ticket.created'], conditions: {}, ...body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const createTicket = (overrides: Record<string, unknown> = {}, auth = admin) =>
    t.http.post('/v1/tickets').set(auth).send({ subject: 'Hello', message: { body: 'Some text' }, requester: { email: 'jo@acme.com' }, ...overrides });
  const eventsOf = async (ticketId: string) => (await t.http.get(`/v1/tickets/${ticketId}/events?limit=100`).set(admin)).body.data as Array<{ type: string; actor: any; changes: any; data: any }>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    agentId = (await t.http.post('/v1/agents').set(admin).send({ name: 'Olga Ops', email: 'olga@example.com', role: 'agent', availability: 'online' }).expect(201)).body.id;
    ops = (await t.http.post('/v1/teams').set(admin).send({ name: 'Operations', assignmentStrategy: 'round_robin', memberIds: [agentId] }).expect(201)).body;
  });
  afterAll(() => t.close());

  it('sets urgent priority and routes to a team when the subject says "outage", with the rule as actor', async () => {
    const rule = await createRule({
      name: 'Outages are urgent',
      conditions: { any: [{ field: 'subject', operator: 'contains', value: 'outage' }, { field: 'body', operator: 'matches', value: '\\bdown\\b' }] },
      actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'set_team', teamId: ops.id }, { type: 'add_tags', tags: ['outage'] }],
    });
    const ticket = await createTicket({ subject: 'Major OUTAGE in eu-west' });
    expect(ticket.status).toBe(201);
    expect(ticket.body).toMatchObject({ priority: 'urgent', team: { id: ops.id }, assignee: { id: agentId }, status: 'open', tags: ['outage'] });
    const events = await eventsOf(ticket.body.id);
    const byRule = events.filter((event) => event.actor.type === 'automation_rule');
    expect(byRule.map((event) => event.type)).toEqual(['ticket.updated', 'ticket.status_changed', 'ticket.assigned']);
    expect(byRule[0].actor).toEqual({ type: 'automation_rule', id: rule.id, name: 'Outages are urgent' });
    expect(byRule[2].data).toMatchObject({ reason: 'rule', rule: { id: rule.id }, strategy: 'round_robin' });

    const calm = await createTicket({ subject: 'Question about invoices' });
    expect(calm.body).toMatchObject({ priority: 'normal', team: null });
    await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('runs rules in position order, later rules seeing earlier changes', async () => {
    const onTag = { all: [{ field: 'tags', operator: 'contains', value: 'ORDER' }] };
    const low = await createRule({ name: 'Low', position: 100, conditions: onTag, actions: [{ type: 'set_priority', priority: 'low' }] });
    const high = await createRule({ name: 'High', position: 200, conditions: onTag, actions: [{ type: 'set_priority', priority: 'high' }] });
    const seesHigh = await createRule({ name: 'Sees high', position: 300, conditions: { all: [...onTag.all, { field: 'priority', operator: 'is', value: 'high' }] }, actions: [{ type: 'add_tags', tags: ['saw-high'] }] });
    expect((await createTicket({ tags: ['order'] })).body).toMatchObject({ priority: 'high', tags: ['order', 'saw-high'] });

    // Positions are the places in the list: Low moves to the second place, between High and Sees high.
    await t.http.patch(`/v1/automation-rules/${low.id}`).set(admin).send({ position: high.position }).expect(200);
    const listed = (await t.http.get('/v1/automation-rules').set(admin)).body.data.map((rule: { name: string; position: number }) => [rule.name, rule.position]);
    expect(listed).toEqual([['High', high.position - 1], ['Low', high.position], ['Sees high', high.position + 1]]);
    expect((await createTicket({ tags: ['order'] })).body).toMatchObject({ priority: 'low', tags: ['order'] });
    for (const rule of [low, high, seesHigh]) await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('bounds loops: each rule fires at most once per change, and chains stop at depth 3', async () => {
    const loop = { all: [{ field: 'tags', operator: 'contains', value: 'loop' }] };
    const toLow = await createRule({ name: 'To low', events: ['ticket.updated'], conditions: { all: [...loop.all, { field: 'priority', operator: 'is', value: 'high' }] }, actions: [{ type: 'set_priority', priority: 'low' }] });
    const toHigh = await createRule({ name: 'To high', events: ['ticket.updated'], conditions: { all: [...loop.all, { field: 'priority', operator: 'is', value: 'low' }] }, actions: [{ type: 'set_priority', priority: 'high' }] });
    const noter = await createRule({ name: 'Noter', events: ['ticket.updated', 'ticket.message_created'], conditions: loop, actions: [{ type: 'add_note', body: 'touched #{{ticket.number}}' }] });
    const ticket = (await createTicket({ tags: ['loop'] })).body;
    const patched = await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ priority: 'high' });
    expect(patched.status).toBe(200);
    const byRule = (await eventsOf(ticket.id)).filter((event) => event.actor.type === 'automation_rule');
    expect(byRule.filter((event) => event.type === 'ticket.updated').map((event) => event.actor.name)).toEqual(['To low', 'To high']);
    expect(byRule.filter((event) => event.type === 'ticket.message_created')).toHaveLength(1);
    for (const rule of [toLow, toHigh, noter]) await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);

    // c(n) adds tag cn when it sees c(n-1); listed in reverse so only nesting, not the pass order, can reach the next one.
    const chain = [];
    for (let n = 5; n >= 1; n--) {
      chain.push(await createRule({ name: `c${n}`, events: ['ticket.updated'], conditions: { all: [{ field: 'tags', operator: 'contains', value: `c${n - 1}` }] }, actions: [{ type: 'add_tags', tags: [`c${n}`] }] }));
    }
    const chained = (await createTicket()).body;
    const result = await t.http.patch(`/v1/tickets/${chained.id}`).set(admin).send({ tags: ['c0'] });
    expect(result.body.tags).toEqual(['c0', 'c1', 'c2', 'c3']);
    for (const rule of chain) await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('a rule whose change is not allowed is skipped without failing the change that triggered it', async () => {
    const rule = await createRule({ name: 'Back to new', events: ['ticket.updated'], actions: [{ type: 'set_status', status: 'new' }, { type: 'add_tags', tags: ['never'] }] });
    const ticket = (await createTicket()).body;
    const patched = await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'pending' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'pending', tags: [] });
    await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('validates rules, naming fields', async () => {
    const response = await t.http.post('/v1/automation-rules').set(admin).send({
      name: 'Bad', events: ['ticket.deleted'],
      conditions: { all: [{ field: 'tags', operator: 'matches', value: 'x' }] },
      actions: [{ type: 'add_reply', body: '{{ticket.secret}}' }],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('events');
    const semantic = await t.http.post('/v1/automation-rules').set(admin).send({
      name: 'Bad', events: ['ticket.created'], conditions: { all: [{ field: 'tags', operator: 'matches', value: 'x' }] }, actions: [{ type: 'add_reply', body: '{{ticket.secret}}' }],
    });
    expect(semantic.status).toBe(422);
    expect(semantic.body.errors.map((e: { field: string }) => e.field)).toEqual(['conditions.all[0].operator', 'actions[0].body']);
    const agentKey = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent', role: 'agent', agentId }).expect(201)).body.key;
    expect((await t.http.post('/v1/automation-rules').set(t.auth(agentKey)).send({ name: 'x', events: ['ticket.created'], conditions: {}, actions: [{ type: 'add_note', body: 'x' }] })).status).toBe(403);
  });

  it('the tester says which rules would fire and what they would change, writing nothing', async () => {
    const rule = await createRule({
      name: 'Outage tester', conditions: { all: [{ field: 'subject', operator: 'contains', value: 'outage' }] },
      actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'set_team', teamId: ops.id }, { type: 'add_reply', body: 'We are on it, {{requester.email}}' }],
    });
    const before = (await t.http.get('/v1/tickets?limit=100').set(admin)).body.data.length;
    const draft = await t.http.post('/v1/automation-rules/test').set(admin).send({ ticket: { subject: 'Outage!', message: { body: 'all down' }, requesterEmail: 'x@y.com' } });
    expect(draft.status).toBe(200);
    expect(draft.body).toEqual({
      event: 'ticket.created',
      fired: [{ ruleId: rule.id, name: 'Outage tester', position: rule.position, changes: { priority: { before: 'normal', after: 'urgent' }, teamId: { before: null, after: ops.id }, status: { before: 'new', after: 'open' } }, messages: ['We are on it, x@y.com'] }],
    });
    const calm = await t.http.post('/v1/automation-rules/test').set(admin).send({ ticket: { subject: 'Invoice', message: { body: 'hi' } } });
    expect(calm.body.fired).toEqual([]);
    // An existing ticket, created before the rule existed.
    await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
    const existing = (await createTicket({ subject: 'outage in the lab' })).body;
    const rule2 = await createRule({ name: 'Tag outages', conditions: { all: [{ field: 'subject', operator: 'contains', value: 'outage' }] }, actions: [{ type: 'add_tags', tags: ['outage'] }] });
    const byId = await t.http.post('/v1/automation-rules/test').set(admin).send({ ticketId: existing.id });
    expect(byId.body.fired).toEqual([expect.objectContaining({ ruleId: rule2.id, changes: { tags: { before: [], after: ['outage'] } } })]);
    expect((await t.http.get(`/v1/tickets/${existing.id}`).set(admin)).body).toMatchObject({ tags: [], version: 1 });
    expect((await t.http.get('/v1/tickets?limit=100').set(admin)).body.data.length).toBe(before + 1);
    await t.http.delete(`/v1/automation-rules/${rule2.id}`).set(admin).expect(204);
    expect((await t.http.post('/v1/automation-rules/test').set(admin).send({})).status).toBe(422);
  });

  it('tags tickets created outside business hours, judged at the time of the change; calendars must be the workspace\'s own', async () => {
    const utcDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const allWeek = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, ['00:00-24:00']]));
    const calendar = async (body: Record<string, unknown>, auth = admin) => (await t.http.post('/v1/business-hours').set(auth).send({ timezone: 'UTC', weekly: allWeek, ...body }).expect(201)).body;
    // Closed now whatever the hour: a shutdown from yesterday to tomorrow; the other one is open around the clock.
    const shutdown = await calendar({ name: 'Shutdown', holidays: [{ from: utcDay(-1), to: utcDay(1), name: 'Shutdown' }] });
    const roundTheClock = await calendar({ name: 'Round the clock' });
    const outsideOf = (id: string) => ({ all: [{ field: 'businessHours', operator: 'outside', value: id }] });
    const afterHours = await createRule({ name: 'After hours', conditions: outsideOf(shutdown.id), actions: [{ type: 'add_tags', tags: ['after-hours'] }] });
    const never = await createRule({ name: 'Never after hours', conditions: outsideOf(roundTheClock.id), actions: [{ type: 'add_tags', tags: ['never'] }] });
    const staffed = await createRule({
      name: 'Staffed', conditions: { all: [{ field: 'businessHours', operator: 'within', value: roundTheClock.id }] }, actions: [{ type: 'add_tags', tags: ['staffed'] }],
    });
    expect(afterHours.conditions).toEqual(outsideOf(shutdown.id));

    expect((await createTicket()).body.tags.sort()).toEqual(['after-hours', 'staffed']);
    const tested = await t.http.post('/v1/automation-rules/test').set(admin).send({ ticket: { subject: 'Anyone there?', message: { body: 'hello' } } });
    expect(tested.status).toBe(200);
    expect(tested.body.fired.map((rule: { name: string }) => rule.name)).toEqual(['After hours', 'Staffed']);

    const unknown = await t.http.post('/v1/automation-rules').set(admin).send({
      name: 'x', events: ['ticket.created'], conditions: { all: [{ field: 'businessHours', operator: 'within', value: '7f1c2a1e-0000-4000-8000-000000000000' }] }, actions: [{ type: 'add_note', body: 'x' }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['conditions.all[0].value']);
    const other = await t.newWorkspace();
    const theirs = await calendar({ name: 'Their office' }, t.auth(other.key));
    const foreign = await t.http.patch(`/v1/automation-rules/${never.id}`).set(admin).send({ conditions: { any: [{ field: 'tags', operator: 'contains', value: 'x' }, { field: 'businessHours', operator: 'outside', value: theirs.id }] } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors.map((e: { field: string }) => e.field)).toEqual(['conditions.any[1].value']);
    const malformed = await t.http.post('/v1/automation-rules').set(admin).send({
      name: 'x', events: ['ticket.created'], conditions: { all: [{ field: 'businessHours', operator: 'is', value: 'office' }] }, actions: [{ type: 'add_note', body: 'x' }],
    });
    expect(malformed.body.errors.map((e: { field: string }) => e.field)).toEqual(['conditions.all[0].operator']);

    // A rule keeps naming a deleted calendar; its condition then holds neither way.
    await t.http.delete(`/v1/business-hours/${shutdown.id}`).set(admin).expect(204);
    expect((await createTicket()).body.tags).toEqual(['staffed']);
    for (const rule of [afterHours, never, staffed]) await t.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('keeps workspaces apart', async () => {
    const other = await t.newWorkspace();
    const theirs = await createRule({ name: 'Theirs', actions: [{ type: 'set_priority', priority: 'urgent' }] }, t.auth(other.key));
    expect((await t.http.get(`/v1/automation-rules/${theirs.id}`).set(admin)).status).toBe(404);
    expect((await t.http.patch(`/v1/automation-rules/${theirs.id}`).set(admin).send({ name: 'x' })).status).toBe(404);
    expect((await createTicket()).body.priority).toBe('normal');
    const foreignTeam = await t.http.post('/v1/automation-rules').set(t.auth(other.key)).send({ name: 'x', events: ['ticket.created'], conditions: {}, actions: [{ type: 'set_team', teamId: ops.id }] });
    expect(foreignTeam.status).toBe(422);
    expect(foreignTeam.body.errors[0].field).toBe('actions[0].teamId');
  });

  it('is available in GraphQL', async () => {
    const gql = (query: string, variables: Record<string, unknown>) => t.http.post('/graphql').set(admin).send({ query, variables });
    const created = await gql('mutation($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id name position events conditions { all { field operator value } } actions { type tags } } }', {
      input: { name: 'Gql rule', events: ['ticket.created'], conditions: { all: [{ field: 'channel', operator: 'is', value: 'chat' }] }, actions: [{ type: 'add_tags', tags: ['chat'] }] },
    });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createAutomationRule).toMatchObject({ name: 'Gql rule', events: ['ticket.created'], conditions: { all: [{ field: 'channel', operator: 'is', value: 'chat' }] } });
    const listed = await gql('query { automationRules { edges { node { id } } pageInfo { hasNextPage } } }', {});
    expect(listed.body.data.automationRules.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(created.body.data.createAutomationRule.id);
    expect((await createTicket({ channel: 'chat' })).body.tags).toEqual(['chat']);
  });
});
