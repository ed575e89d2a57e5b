import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { systemPrincipal } from '../src/auth/principal';
import { ValidationFailed } from '../src/common/errors/domain-errors';
import { TeamsService } from '../src/teams/teams.service';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

describe('teams', () => {
  let t: TestApp;
  let db: DataSource;
  let other: TestWorkspace;
  let agentKey: string;
  let ana: { id: string; name: string };
  let bruno: { id: string; name: string };
  let carla: { id: string; name: string };
  let foreignAgent: { id: string; name: string };

  const newAgent = async (key: string, name: string) => {
    const response = await t.http.post('/v1/agents').set(t.auth(key)).send({ name, email: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.com`, role: 'agent' });
    expect(response.status).toBe(201);
    return { id: response.body.id as string, name };
  };
  const create = (key: string, body: Record<string, unknown>) => t.http.post('/v1/teams').set(t.auth(key)).send(body);
  const uniqueName = (prefix: string) => `${prefix} ${randomBytes(3).toString('hex')}`;
  const eventsOf = (subjectId: string): Promise<Array<{ type: string; payload: { data: Record<string, any> } }>> =>
    db.query('SELECT type, payload FROM outbox_events WHERE subject_id = $1 ORDER BY position', [subjectId]);
  const graphql = (key: string, query: string, variables: Record<string, unknown> = {}) => t.http.post('/graphql').set(t.auth(key)).send({ query, variables });
  const fieldsOf = (response: { body: { errors: Array<{ field: string }> } }) => response.body.errors.map((error) => error.field);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    other = await t.newWorkspace();
    agentKey = (await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'agent', role: 'agent' }).expect(201)).body.key;
    carla = await newAgent(t.main.key, 'Carla');
    ana = await newAgent(t.main.key, 'Ana');
    bruno = await newAgent(t.main.key, 'Bruno');
    foreignAgent = await newAgent(other.key, 'Foreigner');
  });
  afterAll(() => t.close());

  describe('REST', () => {
    it('creates a team with members ordered by name, reads it back and records team.created', async () => {
      const name = uniqueName('Billing');
      const created = await create(t.main.key, { name, memberIds: [carla.id, ana.id] });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), name, assignmentStrategy: 'manual', members: [ana, carla], createdAt: expect.any(String), updatedAt: expect.any(String) });

      const fetched = await t.http.get(`/v1/teams/${created.body.id}`).set(t.auth(t.main.key));
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(created.body);

      const events = await eventsOf(created.body.id);
      expect(events.map((event) => event.type)).toEqual(['team.created']);
      expect(events[0].payload.data.team).toEqual(created.body);
    });

    it('creates a team without members', async () => {
      const created = await create(t.main.key, { name: uniqueName('Empty') });
      expect(created.status).toBe(201);
      expect(created.body.members).toEqual([]);
    });

    it('rejects invalid input with 422 naming each field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: uniqueName('X'), colour: 'red' }, 'colour'],
        [{}, 'name'],
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ name: uniqueName('X'), memberIds: 'not-an-array' }, 'memberIds'],
        [{ name: uniqueName('X'), memberIds: ['not-a-uuid'] }, 'memberIds'],
        [{ name: uniqueName('X'), memberIds: Array.from({ length: 101 }, () => ana.id) }, 'memberIds'],
      ];
      for (const [body, field] of cases) {
        const response = await create(t.main.key, body);
        expect({ body, status: response.status }).toEqual({ body, status: 422 });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(fieldsOf(response)).toContain(field);
      }
    });

    it('names each member id that is not an agent of the workspace, and creates nothing', async () => {
      const name = uniqueName('Bad members');
      const response = await create(t.main.key, { name, memberIds: [ana.id, foreignAgent.id, '00000000-0000-4000-8000-000000000000'] });
      expect(response.status).toBe(422);
      expect(fieldsOf(response)).toEqual(['memberIds[1]', 'memberIds[2]']);
      const [{ count }] = await db.query('SELECT count(*)::int AS count FROM teams WHERE name = $1', [name]);
      expect(count).toBe(0);
    });

    it('answers 409 naming name for a duplicate name in any case, on create and on rename', async () => {
      const name = uniqueName('Support');
      expect((await create(t.main.key, { name })).status).toBe(201);
      const duplicate = await create(t.main.key, { name: name.toUpperCase() });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ status: 409, field: 'name' });

      const second = await create(t.main.key, { name: uniqueName('Second') });
      const rename = await t.http.patch(`/v1/teams/${second.body.id}`).set(t.auth(t.main.key)).send({ name: name.toLowerCase() });
      expect(rename.status).toBe(409);
      expect(rename.body.field).toBe('name');
      expect((await eventsOf(second.body.id)).map((event) => event.type)).toEqual(['team.created']);
    });

    it('patches the name and replaces the member set, recording the changes', async () => {
      const created = await create(t.main.key, { name: uniqueName('Patch'), memberIds: [ana.id, bruno.id] });
      const id = created.body.id;
      const newName = uniqueName('Patched');

      const replaced = await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ name: newName, memberIds: [carla.id, bruno.id] });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ id, name: newName, members: [bruno, carla] });
      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(t.main.key))).body).toEqual(replaced.body);

      const nameOnly = await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ name: `${newName} 2` });
      expect(nameOnly.body.members).toEqual([bruno, carla]);
      const emptied = await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ memberIds: [] });
      expect(emptied.body).toMatchObject({ name: `${newName} 2`, members: [] });

      const updates = (await eventsOf(id)).filter((event) => event.type === 'team.updated');
      expect(updates).toHaveLength(3);
      expect(updates[0].payload.data.changes.name).toEqual({ before: created.body.name, after: newName });
      expect([...updates[0].payload.data.changes.memberIds.before].sort()).toEqual([ana.id, bruno.id].sort());
      expect([...updates[0].payload.data.changes.memberIds.after].sort()).toEqual([bruno.id, carla.id].sort());
      expect(Object.keys(updates[1].payload.data.changes)).toEqual(['name']);
      expect(Object.keys(updates[2].payload.data.changes)).toEqual(['memberIds']);
    });

    it('rejects null, unknown fields and foreign agents on patch', async () => {
      const created = await create(t.main.key, { name: uniqueName('Strict') });
      const id = created.body.id;
      expect(fieldsOf(await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ name: null }))).toContain('name');
      expect(fieldsOf(await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ memberIds: null }))).toContain('memberIds');
      expect(fieldsOf(await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ lead: ana.id }))).toEqual(['lead']);
      const foreign = await t.http.patch(`/v1/teams/${id}`).set(t.auth(t.main.key)).send({ memberIds: [foreignAgent.id] });
      expect(foreign.status).toBe(422);
      expect(fieldsOf(foreign)).toEqual(['memberIds[0]']);
    });

    it('adds members idempotently and removes them, one event per real change', async () => {
      const created = await create(t.main.key, { name: uniqueName('Members') });
      const id = created.body.id;

      expect((await t.http.put(`/v1/teams/${id}/members/${bruno.id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.put(`/v1/teams/${id}/members/${bruno.id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.put(`/v1/teams/${id}/members/${ana.id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(t.main.key))).body.members).toEqual([ana, bruno]);

      expect((await t.http.delete(`/v1/teams/${id}/members/${bruno.id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.delete(`/v1/teams/${id}/members/${bruno.id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(t.main.key))).body.members).toEqual([ana]);

      const updates = (await eventsOf(id)).filter((event) => event.type === 'team.updated');
      expect(updates.map((event) => event.payload.data.changes.memberIds.after)).toEqual([[bruno.id], expect.arrayContaining([ana.id, bruno.id]), [ana.id]]);

      const unknownAgent = await t.http.put(`/v1/teams/${id}/members/00000000-0000-4000-8000-000000000000`).set(t.auth(t.main.key));
      expect(unknownAgent.status).toBe(404);
      expect((await t.http.put(`/v1/teams/${id}/members/not-a-uuid`).set(t.auth(t.main.key))).status).toBe(422);
    });

    it('deletes a team with 204, records team.deleted and then answers 404', async () => {
      const created = await create(t.main.key, { name: uniqueName('Doomed'), memberIds: [ana.id] });
      const id = created.body.id;
      expect((await t.http.delete(`/v1/teams/${id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(t.main.key))).status).toBe(404);
      expect((await t.http.delete(`/v1/teams/${id}`).set(t.auth(t.main.key))).status).toBe(404);
      expect(await db.query('SELECT 1 FROM team_members WHERE team_id = $1', [id])).toEqual([]);
      const events = await eventsOf(id);
      expect(events.map((event) => event.type)).toEqual(['team.created', 'team.deleted']);
      expect(events[1].payload.data.team).toMatchObject({ id, members: [ana] });
    });

    it('refuses to delete a team that tickets reference with 409 team_has_tickets', async () => {
      const created = await create(t.main.key, { name: uniqueName('Busy') });
      const [contact] = await db.query(`INSERT INTO contacts (workspace_id, name) VALUES ($1, 'Requester') RETURNING id`, [t.main.id]);
      await db.query(
        `INSERT INTO tickets (workspace_id, number, subject, status, priority, channel, requester_id, team_id)
         VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM tickets WHERE workspace_id = $1), 'Help', 'new', 'normal', 'api', $2, $3)`,
        [t.main.id, contact.id, created.body.id],
      );
      const response = await t.http.delete(`/v1/teams/${created.body.id}`).set(t.auth(t.main.key));
      expect(response.status).toBe(409);
      expect(response.body.type).toMatch(/team-has-tickets$/);
      expect(response.body.detail).toMatch(/tickets/);
      expect((await t.http.get(`/v1/teams/${created.body.id}`).set(t.auth(t.main.key))).status).toBe(200);
      expect((await eventsOf(created.body.id)).map((event) => event.type)).toEqual(['team.created']);
    });

    it('pages oldest first with cursors, without duplicates or gaps', async () => {
      const pager = await t.newWorkspace();
      const created: Array<{ id: string; createdAt: string }> = [];
      for (let i = 0; i < 5; i++) created.push((await create(pager.key, { name: `Team ${i}` })).body);
      const expected = [...created].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((team) => team.id);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response: { status: number; body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t.http
          .get('/v1/teams')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(t.auth(pager.key));
        expect(response.status).toBe(200);
        seen.push(...response.body.data.map((team) => team.id));
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);
      expect((await t.http.get('/v1/teams').query({ limit: 0 }).set(t.auth(pager.key))).status).toBe(422);
    });
  });

  describe('roles', () => {
    it('lets agents read teams but not change them', async () => {
      const team = await create(t.main.key, { name: uniqueName('Readable') });
      const id = team.body.id;
      expect((await t.http.get('/v1/teams').set(t.auth(agentKey))).status).toBe(200);
      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(agentKey))).body.id).toBe(id);

      const denied = await create(agentKey, { name: uniqueName('Nope') });
      expect(denied.status).toBe(403);
      expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(denied.body).toMatchObject({ status: 403, title: 'Forbidden' });
      expect((await t.http.patch(`/v1/teams/${id}`).set(t.auth(agentKey)).send({ name: 'x' })).status).toBe(403);
      expect((await t.http.delete(`/v1/teams/${id}`).set(t.auth(agentKey))).status).toBe(403);
      expect((await t.http.put(`/v1/teams/${id}/members/${ana.id}`).set(t.auth(agentKey))).status).toBe(403);
      expect((await t.http.delete(`/v1/teams/${id}/members/${ana.id}`).set(t.auth(agentKey))).status).toBe(403);

      const gql = await graphql(agentKey, 'mutation($name: String!) { createTeam(input: {name: $name}) { id } }', { name: uniqueName('Gql nope') });
      expect(gql.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(t.main.key))).body).toEqual(team.body);
    });
  });

  describe('workspace isolation', () => {
    it('answers 404 for another workspace\'s team on every endpoint and never lists it', async () => {
      const mine = await create(t.main.key, { name: uniqueName('Private'), memberIds: [ana.id] });
      const id = mine.body.id;
      const theirs = t.auth(other.key);

      expect((await t.http.get(`/v1/teams/${id}`).set(theirs)).status).toBe(404);
      const patch = await t.http.patch(`/v1/teams/${id}`).set(theirs).send({ name: 'Hijacked' });
      expect(patch.status).toBe(404);
      expect(patch.headers['content-type']).toMatch(/problem\+json/);
      expect((await t.http.put(`/v1/teams/${id}/members/${foreignAgent.id}`).set(theirs)).status).toBe(404);
      expect((await t.http.delete(`/v1/teams/${id}/members/${ana.id}`).set(theirs)).status).toBe(404);
      expect((await t.http.delete(`/v1/teams/${id}`).set(theirs)).status).toBe(404);

      const listed = await t.http.get('/v1/teams').query({ limit: 100 }).set(theirs);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((team: { id: string }) => team.id)).not.toContain(id);

      const gql = await graphql(other.key, 'query($id: ID!) { team(id: $id) { id } }', { id });
      expect(gql.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      const gqlAdd = await graphql(other.key, 'mutation($team: ID!, $agent: ID!) { addTeamMember(teamId: $team, agentId: $agent) { id } }', { team: id, agent: foreignAgent.id });
      expect(gqlAdd.body.errors[0].extensions.status).toBe(404);

      // Our agent cannot be added to their team either.
      const theirTeam = await create(other.key, { name: uniqueName('Theirs') });
      expect((await t.http.put(`/v1/teams/${theirTeam.body.id}/members/${ana.id}`).set(theirs)).status).toBe(404);

      expect((await t.http.get(`/v1/teams/${id}`).set(t.auth(t.main.key))).body).toEqual(mine.body);
      // Names are unique per workspace only.
      expect((await create(other.key, { name: mine.body.name })).status).toBe(201);
    });
  });

  describe('GraphQL', () => {
    const fields = 'id name members { id name } createdAt updatedAt';

    it('creates, lists as a connection, reads, updates, changes members and deletes teams', async () => {
      const workspace = await t.newWorkspace();
      const lead = await newAgent(workspace.key, 'Lead');
      const helper = await newAgent(workspace.key, 'Helper');

      const created = await graphql(workspace.key, `mutation($input: CreateTeamInput!) { createTeam(input: $input) { ${fields} } }`, {
        input: { name: 'Escalations', memberIds: [lead.id] },
      });
      expect(created.body.errors).toBeUndefined();
      const team = created.body.data.createTeam;
      expect(team).toMatchObject({ name: 'Escalations', members: [lead] });
      const second = (await graphql(workspace.key, 'mutation { createTeam(input: {name: "Sales"}) { id createdAt } }')).body.data.createTeam;
      const [oldest, newest] = [team, second].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((x) => x.id);

      const first = await graphql(workspace.key, '{ teams(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }');
      expect(first.body.data.teams.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([oldest]);
      expect(first.body.data.teams.pageInfo).toEqual({ hasNextPage: true, endCursor: first.body.data.teams.edges[0].cursor });
      const rest = await graphql(workspace.key, 'query($after: String) { teams(first: 5, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }', {
        after: first.body.data.teams.pageInfo.endCursor,
      });
      expect(rest.body.data.teams.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([newest]);
      expect(rest.body.data.teams.pageInfo.hasNextPage).toBe(false);

      expect((await graphql(workspace.key, `query($id: ID!) { team(id: $id) { ${fields} } }`, { id: team.id })).body.data.team).toEqual(team);

      const renamed = await graphql(workspace.key, 'mutation($id: ID!) { updateTeam(id: $id, input: {name: "Tier 2"}) { name members { id } } }', { id: team.id });
      expect(renamed.body.data.updateTeam).toEqual({ name: 'Tier 2', members: [{ id: lead.id }] });

      const added = await graphql(workspace.key, 'mutation($team: ID!, $agent: ID!) { addTeamMember(teamId: $team, agentId: $agent) { members { id name } } }', { team: team.id, agent: helper.id });
      expect(added.body.data.addTeamMember.members).toEqual([helper, lead]);
      const removed = await graphql(workspace.key, 'mutation($team: ID!, $agent: ID!) { removeTeamMember(teamId: $team, agentId: $agent) { members { id } } }', { team: team.id, agent: lead.id });
      expect(removed.body.data.removeTeamMember.members).toEqual([{ id: helper.id }]);

      const deleted = await graphql(workspace.key, 'mutation($id: ID!) { deleteTeam(id: $id) }', { id: team.id });
      expect(deleted.body.data.deleteTeam).toBe(team.id);
      expect((await t.http.get(`/v1/teams/${team.id}`).set(t.auth(workspace.key))).status).toBe(404);
      expect((await eventsOf(team.id)).map((event) => event.type)).toEqual(['team.created', 'team.updated', 'team.updated', 'team.updated', 'team.deleted']);

      const duplicate = await graphql(workspace.key, 'mutation { createTeam(input: {name: "SALES"}) { id } }');
      expect(duplicate.body.errors[0].extensions).toMatchObject({ status: 409, field: 'name' });
      const invalid = await graphql(workspace.key, 'mutation { createTeam(input: {name: ""}) { id } }');
      expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
    });
  });

  describe('TeamsService for other modules', () => {
    const service = () => t.app.get(TeamsService);

    it('asserts a team exists in the workspace, naming the caller\'s field otherwise', async () => {
      const mine = (await create(t.main.key, { name: uniqueName('Assert') })).body.id;
      const theirs = (await create(other.key, { name: uniqueName('Assert theirs') })).body.id;
      const principal = systemPrincipal(t.main.id);

      await expect(service().assertExists(principal, mine)).resolves.toBeUndefined();
      const missing = service().assertExists(principal, theirs, 'filter.teamId');
      await expect(missing).rejects.toBeInstanceOf(ValidationFailed);
      await expect(missing).rejects.toMatchObject({ errors: [{ field: 'filter.teamId', message: expect.any(String) }] });
      await expect(service().assertExists(principal, theirs)).rejects.toMatchObject({ errors: [{ field: 'teamId' }] });
    });

    it('finds by ids within the workspace only, with members', async () => {
      const mine = (await create(t.main.key, { name: uniqueName('Batch'), memberIds: [bruno.id] })).body;
      const theirs = (await create(other.key, { name: uniqueName('Batch theirs') })).body.id;
      const found = await service().findByIds(systemPrincipal(t.main.id), [mine.id, theirs]);
      expect([...found.keys()]).toEqual([mine.id]);
      expect(found.get(mine.id)?.members).toEqual([bruno]);
      await expect(service().get(systemPrincipal(t.main.id), theirs)).rejects.toMatchObject({ status: 404 });
    });
  });
});
