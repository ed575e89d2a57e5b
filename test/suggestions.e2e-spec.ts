import { generateTickets } from '../src/triage/generated-tickets';
import { startTestApp, TestApp } from './support/test-app';

describe('triage suggestions', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const teams = new Map<string, string>();

  const createTicket = (overrides: Record<string, unknown>) =>
    t.http.post('/v1/tickets').set(admin).send({ message: { body: 'x' }, requester: { email: 'jo@example.com' }, ...overrides });
  const suggestionsFor = async (subject: string, body: string) => {
    const ticket = (await createTicket({ subject, message: { body } }).expect(201)).body;
    return (await t.http.get(`/v1/tickets/${ticket.id}/suggestions`).set(admin).expect(200)).body;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    for (const name of ['Billing', 'Operations', 'Engineering', 'Accounts', 'Product']) {
      teams.set(name, (await t.http.post('/v1/teams').set(admin).send({ name }).expect(201)).body.id);
    }
  });
  afterAll(() => t.close());

  it('says there is not enough history instead of guessing, then learns from resolved tickets', async () => {
    const early = await suggestionsFor('Site is down', 'Every API request fails with a 503 error');
    expect(early).toMatchObject({ enoughHistory: false, trainedOn: 0, minimumHistory: 20, type: null, priority: null, team: null, tags: [] });
    expect(early.message).toMatch(/not enough history/i);

    for (const sample of generateTickets(60, 3)) {
      const ticket = (await createTicket({ subject: sample.subject, message: { body: sample.body }, type: sample.type, priority: sample.priority, tags: sample.tags, teamId: teams.get(sample.team) }).expect(201)).body;
      await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'resolved' }).expect(200);
    }
    const outage = await suggestionsFor('Production down', 'None of our users can load the dashboard, requests time out');
    expect(outage).toMatchObject({ enoughHistory: true, trainedOn: 60, type: { value: 'incident' }, priority: { value: 'urgent' }, team: { value: { id: teams.get('Operations'), name: 'Operations' } } });
    expect(outage.tags[0].value).toBe('outage');
    expect(outage.team.confidence).toBeGreaterThan(0.5);
    const billing = await suggestionsFor('Refund request', 'I was charged twice for the same subscription');
    expect(billing.team.value.name).toBe('Billing');
  });

  it('apply_suggestions lets a rule triage new tickets above a confidence threshold', async () => {
    await t.http.post('/v1/automation-rules').set(admin).send({ name: 'Auto triage', events: ['ticket.created'], conditions: {}, actions: [{ type: 'apply_suggestions', minConfidence: 0.8 }] }).expect(201);
    const ticket = (await createTicket({ subject: 'Password reset email never arrives', message: { body: 'I forgot my password and the reset link does not arrive' } }).expect(201)).body;
    expect(ticket).toMatchObject({ type: 'question', priority: 'low', team: { id: teams.get('Accounts') }, tags: ['login'] });
    const vague = (await createTicket({ subject: 'Hmm', message: { body: 'zzz qqq' } }).expect(201)).body;
    expect(vague).toMatchObject({ team: null, tags: [] });
  });

  it('keeps workspaces apart', async () => {
    const other = await t.newWorkspace();
    const ticket = (await createTicket({ subject: 'x' }).expect(201)).body;
    expect((await t.http.get(`/v1/tickets/${ticket.id}/suggestions`).set(t.auth(other.key))).status).toBe(404);
    const theirs = (await t.http.post('/v1/tickets').set(t.auth(other.key)).send({ subject: 'Site is down', message: { body: 'outage' }, requester: { email: 'sam@other.example.com' } }).expect(201)).body;
    expect((await t.http.get(`/v1/tickets/${theirs.id}/suggestions`).set(t.auth(other.key))).body).toMatchObject({ enoughHistory: false, trainedOn: 0 });
  });
});
