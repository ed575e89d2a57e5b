import { DataSource } from 'typeorm';
import { UniquePositions1764289400000 } from '../../migrations/1764289400000-UniquePositions';
import { startTestApp, TestApp, TestWorkspace } from '../support/test-app';

/**
 * Ordered lists (SLA policies, automation rules): positions are unique and contiguous per workspace, so which policy
 * or rule comes first never depends on random ids.
 */
interface OrderedListApi {
  name: string;
  path: string;
  body: (name: string) => Record<string, unknown>;
  gql: { list: string; create: string; createInput: string; update: string; updateInput: string; remove: string };
}

const LISTS: OrderedListApi[] = [
  {
    name: 'SLA policies',
    path: '/v1/sla-policies',
    body: (name) => ({ name, targets: { normal: { firstResponse: 60 } } }),
    gql: { list: 'slaPolicies', create: 'createSlaPolicy', createInput: 'CreateSlaPolicyInput', update: 'updateSlaPolicy', updateInput: 'UpdateSlaPolicyInput', remove: 'deleteSlaPolicy' },
  },
  {
    name: 'automation rules',
    path: '/v1/automation-rules',
    body: (name) => ({ name, enabled: false, events: ['ticket.created'], conditions: {}, actions: [{ type: 'add_tags', tags: ['x'] }] }),
    gql: { list: 'automationRules', create: 'createAutomationRule', createInput: 'CreateAutomationRuleInput', update: 'updateAutomationRule', updateInput: 'UpdateAutomationRuleInput', remove: 'deleteAutomationRule' },
  },
];

describe('ordered lists keep unique, contiguous positions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe.each(LISTS)('$name', (list) => {
    let workspace: TestWorkspace;
    let auth: { Authorization: string };
    const create = async (name: string, position?: number) => {
      const response = await t.http.post(list.path).set(auth).send({ ...list.body(name), ...(position === undefined ? {} : { position }) });
      expect(response.status).toBe(201);
      return response.body as { id: string; position: number };
    };
    const move = (id: string, position: number) => t.http.patch(`${list.path}/${id}`).set(auth).send({ position }).expect(200);
    const order = async () => ((await t.http.get(`${list.path}?limit=100`).set(auth).expect(200)).body.data as Array<{ name: string; position: number }>).map((item) => [item.name, item.position]);
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await t.http.post('/graphql').set(auth).send({ query, variables });
      expect(response.body.errors).toBeUndefined();
      return response.body.data;
    };

    beforeEach(async () => {
      workspace = await t.newWorkspace();
      auth = t.auth(workspace.key);
    });

    it('creating at a taken position takes that place and shifts the rest; beyond the end or omitted appends', async () => {
      await create('a');
      await create('b');
      expect((await create('first', 0)).position).toBe(0);
      expect((await create('middle', 2)).position).toBe(2);
      expect((await create('far', 1_000_000)).position).toBe(4);
      expect((await create('last')).position).toBe(5);
      expect(await order()).toEqual([['first', 0], ['a', 1], ['middle', 2], ['b', 3], ['far', 4], ['last', 5]]);
    });

    it('moving shifts the items in between, beyond the end moves last, and deleting closes the gap', async () => {
      const [a, b, c, d] = [await create('a'), await create('b'), await create('c'), await create('d')];
      expect((await move(d.id, 0)).body.position).toBe(0);
      expect(await order()).toEqual([['d', 0], ['a', 1], ['b', 2], ['c', 3]]);
      expect((await move(d.id, 2)).body.position).toBe(2);
      expect(await order()).toEqual([['a', 0], ['b', 1], ['d', 2], ['c', 3]]);
      expect((await move(a.id, 99)).body.position).toBe(3);
      expect(await order()).toEqual([['b', 0], ['d', 1], ['c', 2], ['a', 3]]);
      await move(c.id, 2);
      expect(await order()).toEqual([['b', 0], ['d', 1], ['c', 2], ['a', 3]]);
      await t.http.delete(`${list.path}/${b.id}`).set(auth).expect(204);
      expect(await order()).toEqual([['d', 0], ['c', 1], ['a', 2]]);
      await t.http.delete(`${list.path}/${c.id}`).set(auth).expect(204);
      expect(await order()).toEqual([['d', 0], ['a', 1]]);
      expect((await create('new', 1)).position).toBe(1);
      expect(await order()).toEqual([['d', 0], ['new', 1], ['a', 2]]);
    });

    it('concurrent creates and moves never share a position', async () => {
      await Promise.all(Array.from({ length: 6 }, (_, index) => create(`seed ${index}`)));
      const created = await Promise.all(Array.from({ length: 12 }, (_, index) => create(`racer ${index}`, index % 3 === 0 ? undefined : index % 2)));
      await Promise.all(created.slice(0, 6).map((item, index) => move(item.id, (index * 5) % 18)));
      const positions = (await order()).map(([, position]) => position);
      expect(positions).toEqual(Array.from({ length: 18 }, (_, index) => index));
    });

    it('behaves the same through GraphQL', async () => {
      const { gql: names } = list;
      await create('a');
      await create('b');
      const created = await gql(`mutation($input: ${names.createInput}!) { ${names.create}(input: $input) { id position } }`, { input: { ...list.body('gql'), position: 0 } });
      expect(created[names.create].position).toBe(0);
      const id = created[names.create].id;
      const moved = await gql(`mutation($id: ID!, $input: ${names.updateInput}!) { ${names.update}(id: $id, input: $input) { position } }`, { id, input: { position: 50 } });
      expect(moved[names.update].position).toBe(2);
      await gql(`mutation($id: ID!) { ${names.remove}(id: $id) }`, { id: (await t.http.get(`${list.path}?limit=100`).set(auth)).body.data[0].id });
      const listed = await gql(`{ ${names.list}(first: 100) { edges { node { name position } } } }`, {});
      expect(listed[names.list].edges.map((edge: { node: { name: string; position: number } }) => [edge.node.name, edge.node.position])).toEqual([['b', 0], ['gql', 1]]);
    });
  });

  it('a new SLA policy created at position 0 applies to the next ticket, every time', async () => {
    const workspace = await t.newWorkspace();
    const auth = t.auth(workspace.key);
    await t.http.post('/v1/sla-policies').set(auth).send({ name: 'Standard', targets: { normal: { firstResponse: 600 } } }).expect(201);
    for (let attempt = 0; attempt < 5; attempt++) {
      const policy = (await t.http.post('/v1/sla-policies').set(auth).send({ name: `Urgent ${attempt}`, position: 0, targets: { normal: { firstResponse: 5 + attempt } } }).expect(201)).body;
      const ticket = (await t.http.post('/v1/tickets').set(auth).send({ subject: 'Help', message: { body: 'now' }, requester: { email: 'jo@example.com' } }).expect(201)).body;
      expect(ticket.sla.policyId).toBe(policy.id);
    }
  });

  it('the database refuses a shared position, and the migration renumbered existing duplicates in their old order', async () => {
    const db = t.app.get(DataSource);
    const workspace = await t.newWorkspace();
    const auth = t.auth(workspace.key);
    const first = (await t.http.post('/v1/sla-policies').set(auth).send({ name: 'First', targets: {} }).expect(201)).body;
    const second = (await t.http.post('/v1/sla-policies').set(auth).send({ name: 'Second', targets: {} }).expect(201)).body;
    await expect(db.query('UPDATE sla_policies SET position = 0 WHERE workspace_id = $1 AND id = $2', [workspace.id, second.id])).rejects.toThrow(/sla_policies_workspace_position_key/);

    // Rows as they could be before the migration: shared positions and gaps; ties were broken by id.
    const migration = new UniquePositions1764289400000();
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await runner.query('UPDATE sla_policies SET position = 7 WHERE workspace_id = $1', [workspace.id]);
      await runner.query(`INSERT INTO sla_policies (workspace_id, name, position, paused_statuses) VALUES ($1, 'Zero', 3, '{}')`, [workspace.id]);
      await migration.up(runner);
      const rows: Array<{ name: string; position: number }> = await runner.query('SELECT name, position FROM sla_policies WHERE workspace_id = $1 ORDER BY position', [workspace.id]);
      const tied = [first, second].sort((x, y) => (x.id < y.id ? -1 : 1)).map((policy) => policy.name);
      expect(rows.map((row) => [row.name, row.position])).toEqual([['Zero', 0], [tied[0], 1], [tied[1], 2]]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
