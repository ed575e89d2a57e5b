import { Client } from 'pg';
import { Clock, ManualClock } from '../src/common/clock';
import { TimeRuleScheduler } from '../src/automation/time-rules/time-rule-scheduler';
import { startTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;
const FRIDAY_4_50PM_UTC = '2026-03-06T16:50:00.000Z';

/** Two instances on one database, each with its own manual clock and the interval off, so the test runs the passes. */
describe('time-based automation rules', () => {
  let a: TestApp;
  let b: TestApp;
  /** Each test works in a workspace of its own, so one test's tickets never meet another's rules. */
  let admin: { Authorization: string };
  const clocks = (): ManualClock[] => [a, b].map((app) => app.app.get<Clock, ManualClock>(Clock));
  const setNow = (at: string | Date) => clocks().forEach((clock) => clock.set(at));
  const advance = (minutes: number) => clocks().forEach((clock) => clock.advance(minutes * MINUTE));
  /** One pass on each instance at the same time; the number of firings in total. */
  const passBoth = async () => {
    const passes = await Promise.all([a, b].map((app) => app.app.get(TimeRuleScheduler).tick()));
    return passes.reduce((sum, pass) => sum + pass!.fired, 0);
  };
  const createRule = async (body: Record<string, unknown>, auth = admin) => {
    const response = await a.http.post('/v1/automation-rules').set(auth).send({ events: ['time'], ...body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const createTicket = async (overrides: Record<string, unknown> = {}, auth = admin) =>
    (await a.http.post('/v1/tickets').set(auth).send({ subject: 'Hello', message: { body: 'Some text' }, requester: { email: 'jo@acme.com' }, ...overrides }).expect(201)).body;
  const setStatus = (id: string, status: string, auth = admin) => a.http.patch(`/v1/tickets/${id}`).set(auth).send({ status }).expect(200);
  const byRule = async (ticketId: string, ruleId: string, auth = admin) =>
    ((await a.http.get(`/v1/tickets/${ticketId}/events?limit=100`).set(auth)).body.data as Array<{ type: string; actor: { id: string }; data: any }>)
      .filter((event) => event.actor.id === ruleId);
  const gql = (query: string, variables: Record<string, unknown> = {}, auth = admin) => b.http.post('/graphql').set(auth).send({ query, variables });

  beforeAll(async () => {
    const env = { CLOCK: 'manual', TIME_RULES_SCHEDULER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false' };
    a = await startTestApp(env);
    b = await startTestApp(env, { sameDatabaseAs: a });
  });
  beforeEach(async () => {
    admin = a.auth((await a.newWorkspace()).key);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('reminds a pending ticket once after 48 h with two instances running, and again only after it re-enters pending', async () => {
    setNow('2026-03-02T10:00:00.000Z');
    const rule = await createRule({
      name: 'Remind after 48 h pending',
      conditions: { all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: 2880 }] },
      actions: [{ type: 'add_reply', body: 'Hi {{requester.name}}, do you still need help with #{{ticket.number}}?' }],
    });
    expect(rule).toMatchObject({ events: ['time'], conditions: { all: [{ field: 'status' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: '2880' }] } });
    const ticket = await createTicket();
    const open = await createTicket({ subject: 'Still open' });
    await setStatus(ticket.id, 'pending');

    advance(2879);
    expect(await passBoth()).toBe(0);
    advance(1);
    expect(await passBoth()).toBe(1);
    const fired = await byRule(ticket.id, rule.id);
    expect(fired.map((event) => event.type)).toEqual(['ticket.message_created']);
    expect(fired[0].data).toMatchObject({ rule: { id: rule.id, name: 'Remind after 48 h pending' }, reason: 'time_rule', message: { visibility: 'public' } });
    expect(await byRule(open.id, rule.id)).toEqual([]);

    // Still pending: the same period never fires twice, however long it lasts.
    advance(3000);
    expect(await passBoth()).toBe(0);
    // Leaving pending and coming back starts a new period.
    await setStatus(ticket.id, 'open');
    await setStatus(ticket.id, 'pending');
    advance(2000);
    expect(await passBoth()).toBe(0);
    advance(880);
    // Both instances find the ticket and try to fire at once: a held row lock on the ticket stops the first inside its
    // firing transaction (after it claimed the period) while the second reaches the claim, waits on it, and then backs off.
    const blocker = new Client({ connectionString: a.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [ticket.id]);
      const first = a.app.get(TimeRuleScheduler).tick();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = b.app.get(TimeRuleScheduler).tick();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await blocker.query('ROLLBACK');
      const passes = await Promise.all([first, second]);
      expect(passes.map((pass) => pass!.candidates)).toEqual([1, 1]);
      expect(passes.map((pass) => pass!.fired).sort()).toEqual([0, 1]);
    } finally {
      await blocker.end();
    }
    advance(5000);
    expect(await passBoth()).toBe(0);
    expect((await byRule(ticket.id, rule.id)).filter((event) => event.type === 'ticket.message_created')).toHaveLength(2);
    await a.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('resolves a ticket pending for 7 days, once', async () => {
    setNow('2026-04-01T10:00:00.000Z');
    const rule = await createRule({
      name: 'Resolve after 7 days pending',
      conditions: { all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: '10080' }] },
      actions: [{ type: 'set_status', status: 'resolved' }],
    });
    const ticket = await createTicket();
    await setStatus(ticket.id, 'pending');
    advance(10079);
    expect(await passBoth()).toBe(0);
    advance(1);
    expect(await passBoth()).toBe(1);
    expect((await a.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.status).toBe('resolved');
    advance(20_000);
    expect(await passBoth()).toBe(0);
    await a.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('escalates an urgent ticket the requester wrote on after 30 business minutes, not wall-clock minutes', async () => {
    const weekdays = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, ['09:00-17:00']]));
    const office = (await a.http.post('/v1/business-hours').set(admin).send({ name: 'Office', timezone: 'UTC', weekly: weekdays }).expect(201)).body;
    setNow(FRIDAY_4_50PM_UTC);
    const rule = await createRule({
      name: 'Escalate unanswered urgent',
      conditions: {
        all: [
          { field: 'priority', operator: 'is', value: 'urgent' }, { field: 'status', operator: 'is_not', value: 'pending' },
          { field: 'businessMinutesSinceRequesterReply', operator: 'at_least', value: '30', businessHoursId: office.id },
        ],
      },
      actions: [{ type: 'add_tags', tags: ['escalated'] }, { type: 'set_priority', priority: 'high' }],
    });
    const urgent = await createTicket({ priority: 'urgent', subject: 'Checkout is down' });
    const normal = await createTicket({ subject: 'A question' });
    advance(40); // Friday 17:30: 40 wall-clock minutes, 10 business minutes
    expect(await passBoth()).toBe(0);
    setNow('2026-03-09T09:19:00.000Z'); // Monday: 29 business minutes
    expect(await passBoth()).toBe(0);
    advance(1);
    expect(await passBoth()).toBe(1);
    const escalated = (await a.http.get(`/v1/tickets/${urgent.id}`).set(admin)).body;
    expect(escalated).toMatchObject({ tags: ['escalated'], priority: 'high' });
    expect((await a.http.get(`/v1/tickets/${normal.id}`).set(admin)).body.tags).toEqual([]);
    await a.http.delete(`/v1/automation-rules/${rule.id}`).set(admin).expect(204);
  });

  it('after a complete pass reads only tickets that crossed a bound or changed, and still fires when a change makes one match', async () => {
    setNow('2026-06-01T10:00:00.000Z');
    const rule = await createRule({
      name: 'VIP pending an hour',
      conditions: { all: [{ field: 'minutesSinceStatusChanged', operator: 'at_least', value: '60' }, { field: 'status', operator: 'is', value: 'pending' }, { field: 'tags', operator: 'contains', value: 'vip' }] },
      actions: [{ type: 'add_note', body: 'VIP waiting' }],
    });
    const ticket = await createTicket();
    await setStatus(ticket.id, 'pending');
    advance(120);
    const scheduler = a.app.get(TimeRuleScheduler);
    expect(await scheduler.tick()).toMatchObject({ candidates: 1, fired: 0 });
    advance(60);
    expect(await scheduler.tick()).toMatchObject({ candidates: 0, fired: 0 });
    await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ tags: ['vip'] }).expect(200);
    advance(1);
    expect(await scheduler.tick()).toMatchObject({ candidates: 1, fired: 1 });
    expect(await byRule(ticket.id, rule.id)).toHaveLength(1);
    // An edited rule starts over with a full range.
    await a.http.patch(`/v1/automation-rules/${rule.id}`).set(admin).send({ name: 'VIP pending an hour (edited)' }).expect(200);
    expect(await scheduler.tick()).toMatchObject({ candidates: 0, fired: 0 });
  });

  it('refuses malformed time rules, naming the field', async () => {
    const send = (body: Record<string, unknown>) => a.http.post('/v1/automation-rules').set(admin).send({ name: 'x', actions: [{ type: 'add_tags', tags: ['x'] }], ...body });
    const fields = async (body: Record<string, unknown>) => {
      const response = await send(body);
      expect(response.status).toBe(422);
      return response.body.errors.map((error: { field: string }) => error.field);
    };
    const waited = { field: 'minutesSinceCreated', operator: 'at_least', value: '60' };
    expect(await fields({ events: ['time', 'ticket.created'], conditions: { all: [waited] } })).toEqual(['events']);
    expect(await fields({ events: ['ticket.created'], conditions: { all: [waited] } })).toEqual(['conditions.all[0].field']);
    expect(await fields({ events: ['time'], conditions: { all: [{ field: 'tags', operator: 'contains', value: 'vip' }] } })).toEqual(['conditions.all']);
    expect(await fields({ events: ['time'], conditions: { all: [{ ...waited, value: '1.5' }] } })).toEqual(['conditions.all[0].value']);
    expect(await fields({ events: ['time'], conditions: { all: [{ ...waited, operator: 'is' }] } })).toEqual(['conditions.all[0].operator']);
    expect(await fields({ events: ['time'], conditions: { all: [{ ...waited, field: 'businessMinutesSinceCreated' }] } })).toEqual(['conditions.all[0].businessHoursId']);
    const other = await a.newWorkspace();
    const theirs = (await a.http.post('/v1/business-hours').set(a.auth(other.key)).send({ name: 'Theirs', timezone: 'UTC', weekly: { monday: ['09:00-17:00'] } }).expect(201)).body;
    expect(await fields({ events: ['time'], conditions: { all: [{ ...waited, field: 'businessMinutesSinceCreated', businessHoursId: theirs.id }] } }))
      .toEqual(['conditions.all[0].businessHoursId']);

    // An update is checked as the rule it leaves: a change rule cannot become a time rule without a time condition.
    const change = await createRule({ name: 'change', events: ['ticket.created'], conditions: {}, actions: [{ type: 'add_tags', tags: ['x'] }] });
    const patched = await a.http.patch(`/v1/automation-rules/${change.id}`).set(admin).send({ events: ['time'] });
    expect(patched.status).toBe(422);
    expect(patched.body.errors.map((error: { field: string }) => error.field)).toEqual(['conditions.all']);
    expect((await a.http.get(`/v1/automation-rules/${change.id}`).set(admin)).body.events).toEqual(['ticket.created']);
    await a.http.delete(`/v1/automation-rules/${change.id}`).set(admin).expect(204);
  });

  it('works through GraphQL, and a rule acts only on its own workspace\'s tickets', async () => {
    setNow('2026-05-04T10:00:00.000Z');
    const created = await gql(`mutation($input: CreateAutomationRuleInput!) {
      createAutomationRule(input: $input) { id events conditions { all { field operator value businessHoursId } } } }`, {
      input: {
        name: 'Tag stale new tickets', events: ['time'], actions: [{ type: 'add_tags', tags: ['stale'] }],
        conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }, { field: 'minutesSinceCreated', operator: 'at_least', value: '90' }] },
      },
    });
    expect(created.body.errors).toBeUndefined();
    const rule = created.body.data.createAutomationRule;
    expect(rule).toMatchObject({ events: ['time'], conditions: { all: [{ field: 'status' }, { field: 'minutesSinceCreated', operator: 'at_least', value: '90', businessHoursId: null }] } });
    const refused = await gql(`mutation($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }`, {
      input: { name: 'x', events: ['time'], actions: [{ type: 'add_tags', tags: ['x'] }], conditions: { all: [{ field: 'minutesSinceCreated', operator: 'less_than', value: '5' }] } },
    });
    expect(refused.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors[0].extensions.errors.map((e: { field: string }) => e.field)).toEqual(['conditions.all']);

    const other = await a.newWorkspace();
    const otherAuth = a.auth(other.key);
    const theirs = await createTicket({}, otherAuth);
    const ours = await createTicket();
    advance(90);
    expect(await passBoth()).toBe(1);
    expect((await a.http.get(`/v1/tickets/${ours.id}`).set(admin)).body.tags).toEqual(['stale']);
    expect((await a.http.get(`/v1/tickets/${theirs.id}`).set(otherAuth)).body.tags).toEqual([]);
    expect((await a.http.get(`/v1/automation-rules/${rule.id}`).set(otherAuth)).status).toBe(404);
    const fetched = await gql(`query($id: ID!) { automationRule(id: $id) { id events } }`, { id: rule.id });
    expect(fetched.body.data.automationRule).toEqual({ id: rule.id, events: ['time'] });
    await gql(`mutation($id: ID!) { deleteAutomationRule(id: $id) }`, { id: rule.id });
  });
});
