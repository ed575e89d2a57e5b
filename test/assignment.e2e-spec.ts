import { startTestApp, TestApp } from './support/test-app';

describe('assignment strategies and POST /v1/tickets/:id/assign', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let seq = 0;

  const newAgent = async (overrides: Record<string, unknown> = {}, auth = admin) => {
    seq += 1;
    const response = await t.http.post('/v1/agents').set(auth).send({ name: `Agent ${seq}`, email: `agent${seq}@example.com`, role: 'agent', availability: 'online', ...overrides });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const newTeam = async (assignmentStrategy: string, memberIds: string[], auth = admin) => {
    seq += 1;
    const response = await t.http.post('/v1/teams').set(auth).send({ name: `Team ${seq}`, assignmentStrategy, memberIds });
    expect(response.status).toBe(201);
    return response.body;
  };
  const createTicket = (overrides: Record<string, unknown> = {}, auth = admin) =>
    t.http.post('/v1/tickets').set(auth).send({ subject: 'Help', message: { body: 'Please help' }, requester: { email: 'req@example.com' }, ...overrides });
  const eventsOf = async (ticketId: string) => (await t.http.get(`/v1/tickets/${ticketId}/events`).set(admin)).body.data as Array<{ type: string; data: any; changes: any }>;
  const countBy = (ids: Array<string | null>) => ids.reduce((counts, id) => counts.set(id, (counts.get(id) ?? 0) + 1), new Map<string | null, number>());

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  it('teams carry an assignment strategy, manual by default, validated and changeable', async () => {
    const team = await newTeam('round_robin', []);
    expect(team.assignmentStrategy).toBe('round_robin');
    seq += 1;
    const plain = await t.http.post('/v1/teams').set(admin).send({ name: `Plain ${seq}` });
    expect(plain.body.assignmentStrategy).toBe('manual');
    const invalid = await t.http.patch(`/v1/teams/${team.id}`).set(admin).send({ assignmentStrategy: 'random' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].field).toBe('assignmentStrategy');
    const changed = await t.http.patch(`/v1/teams/${team.id}`).set(admin).send({ assignmentStrategy: 'load_balanced' });
    expect(changed.body.assignmentStrategy).toBe('load_balanced');
  });

  it('round robin: 50 tickets created concurrently into a team of 5 available agents give each exactly 10', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, () => newAgent()));
    const team = await newTeam('round_robin', members);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => createTicket({ teamId: team.id, subject: `Concurrent ${i}` })));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    const counts = countBy(responses.map((response) => response.body.assignee?.id ?? null));
    expect(new Set(counts.keys())).toEqual(new Set(members));
    expect([...counts.values()]).toEqual([10, 10, 10, 10, 10]);
    expect(responses.every((response) => response.body.status === 'open')).toBe(true);

    const events = await eventsOf(responses[0].body.id);
    const assigned = events.find((event) => event.type === 'ticket.assigned')!;
    expect(assigned.data).toMatchObject({ reason: 'strategy', previousAssignee: null, assignee: { id: responses[0].body.assignee.id } });
  });

  it('round robin skips members who are away, offline or deactivated, and leaves the ticket in the team queue when nobody is available', async () => {
    const online = await newAgent();
    const away = await newAgent({ availability: 'away' });
    const offline = await newAgent({ availability: 'offline' });
    const team = await newTeam('round_robin', [online, away, offline]);
    for (let i = 0; i < 3; i++) expect((await createTicket({ teamId: team.id })).body.assignee.id).toBe(online);

    const deactivated = await newAgent();
    const withDeactivated = await newTeam('round_robin', [online, deactivated]);
    await t.http.patch(`/v1/agents/${deactivated}`).set(admin).send({ active: false }).expect(200);
    for (let i = 0; i < 2; i++) expect((await createTicket({ teamId: withDeactivated.id })).body.assignee.id).toBe(online);

    await t.http.patch(`/v1/agents/${online}`).set(admin).send({ availability: 'offline' }).expect(200);
    const queued = await createTicket({ teamId: team.id });
    expect(queued.body).toMatchObject({ assignee: null, team: { id: team.id }, status: 'new' });
  });

  it('load balanced picks the fewest open tickets, breaking ties by least recent assignment', async () => {
    const [busy, idle] = [await newAgent(), await newAgent()];
    const team = await newTeam('load_balanced', [busy, idle]);
    await createTicket({ assigneeId: busy });
    await createTicket({ assigneeId: busy });
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) picks.push((await createTicket({ teamId: team.id })).body.assignee.id);
    // idle reaches busy's 2 open tickets; then they are tied and alternate, least recently assigned first (busy was never picked by the strategy).
    expect(picks).toEqual([idle, idle, busy, idle]);
  });

  it('load balancing never exceeds capacity under concurrency, even for an agent shared by two teams', async () => {
    const shared = await newAgent({ capacity: 3 });
    const a = await newAgent({ capacity: 2 });
    const b = await newAgent({ capacity: 2 });
    const first = await newTeam('load_balanced', [shared, a]);
    const second = await newTeam('load_balanced', [shared, b]);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => createTicket({ teamId: i % 2 ? first.id : second.id })));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const counts = countBy(responses.map((response) => response.body.assignee?.id ?? null));
    expect(counts.get(shared)).toBe(3);
    expect(counts.get(a)).toBe(2);
    expect(counts.get(b)).toBe(2);
    expect(counts.get(null)).toBe(13);

    // Resolving one frees a slot for the next routed ticket.
    const ofA = responses.find((response) => response.body.assignee?.id === a)!;
    await t.http.patch(`/v1/tickets/${ofA.body.id}`).set(admin).send({ status: 'resolved' }).expect(200);
    expect((await createTicket({ teamId: first.id })).body.assignee.id).toBe(a);
  });

  describe('POST /v1/tickets/:id/assign', () => {
    it('assigns an agent, records previous and new owner with the reason, and unassigns with {}', async () => {
      const ana = await newAgent({ name: 'Ana' });
      const bo = await newAgent({ name: 'Bo' });
      const ticket = (await createTicket({ assigneeId: ana })).body;
      const assigned = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({ agentId: bo });
      expect(assigned.status).toBe(200);
      expect(assigned.body.assignee).toEqual({ id: bo, name: 'Bo' });
      const unassigned = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({});
      expect(unassigned.body.assignee).toBeNull();

      const events = (await eventsOf(ticket.id)).filter((event) => event.type === 'ticket.assigned');
      expect(events.map((event) => event.data)).toEqual([
        expect.objectContaining({ reason: 'manual', previousAssignee: null, assignee: { id: ana, name: 'Ana' } }),
        expect.objectContaining({ reason: 'manual', previousAssignee: { id: ana, name: 'Ana' }, assignee: { id: bo, name: 'Bo' } }),
        expect.objectContaining({ reason: 'manual', previousAssignee: { id: bo, name: 'Bo' }, assignee: null }),
      ]);
    });

    it("routes through a team's strategy with {teamId}; a manual team queues the ticket unassigned", async () => {
      const agent = await newAgent();
      const roundRobin = await newTeam('round_robin', [agent]);
      const manual = await newTeam('manual', [agent]);
      const ticket = (await createTicket()).body;
      const routed = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({ teamId: roundRobin.id });
      expect(routed.body).toMatchObject({ assignee: { id: agent }, team: { id: roundRobin.id }, status: 'open' });
      const [event] = (await eventsOf(ticket.id)).filter((e) => e.type === 'ticket.assigned');
      expect(event.data).toMatchObject({ reason: 'strategy', strategy: 'round_robin', teamId: roundRobin.id, previousAssignee: null });

      const queued = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({ teamId: manual.id });
      expect(queued.body).toMatchObject({ assignee: null, team: { id: manual.id } });
    });

    it('validates input and keeps workspaces apart', async () => {
      const ticket = (await createTicket()).body;
      const invalid = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({ agentId: 'nope', extra: 1 });
      expect(invalid.status).toBe(422);
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['agentId', 'extra']);

      const other = await t.newWorkspace();
      const foreignAgent = await newAgent({}, t.auth(other.key));
      const foreignTeam = await newTeam('round_robin', [foreignAgent], t.auth(other.key));
      const withForeignAgent = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({ agentId: foreignAgent });
      expect(withForeignAgent.status).toBe(422);
      expect(withForeignAgent.body.errors[0].field).toBe('assigneeId');
      const withForeignTeam = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(admin).send({ teamId: foreignTeam.id });
      expect(withForeignTeam.status).toBe(422);
      expect(withForeignTeam.body.errors[0].field).toBe('teamId');
      const fromOther = await t.http.post(`/v1/tickets/${ticket.id}/assign`).set(t.auth(other.key)).send({});
      expect(fromOther.status).toBe(404);
    });

    it('is available in GraphQL', async () => {
      const agent = await newAgent({ name: 'Gql Agent' });
      const ticket = (await createTicket()).body;
      const response = await t.http.post('/graphql').set(admin).send({
        query: 'mutation($id: ID!, $input: AssignTicketInput!) { assignTicket(id: $id, input: $input) { id status } }',
        variables: { id: ticket.id, input: { agentId: agent } },
      });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.assignTicket).toEqual({ id: ticket.id, status: 'open' });
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.assignee.id).toBe(agent);
    });
  });
});
