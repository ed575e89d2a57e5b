import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

describe('typed custom fields', () => {
  let t: TestApp;
  let db: DataSource;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let agentKey: string;

  const unique = () => randomBytes(3).toString('hex');
  const as = (key: string) => t.auth(key);
  const graphql = (key: string, query: string, variables: Record<string, unknown> = {}) => t.http.post('/graphql').set(as(key)).send({ query, variables });
  const fieldsOf = (response: { body: { errors?: Array<{ field: string }> } }) => (response.body.errors ?? []).map((error) => error.field);
  const eventsOf = (subjectId: string): Promise<Array<{ type: string; payload: { data: Record<string, any> } }>> =>
    db.query('SELECT type, payload FROM outbox_events WHERE subject_id = $1 ORDER BY position', [subjectId]);
  const define = async (entity: string, body: Record<string, unknown>, key = ws.key) => {
    const response = await t.http.post(`/v1/fields/${entity}`).set(as(key)).send(body);
    expect(response.status).toBe(201);
    return response.body;
  };
  const _newTicket = async (customFields?: Record<string, unknown>, key = ws.key) =>
    t.http.post('/v1/tickets').set(as(key)).send({ subject: `Help ${unique()}`, message: { body: 'please' }, requester: { email: `r-${unique()}@example.com` }, ...(customFields ? { customFields } : {}) });

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    ws = await t.newWorkspace();
    other = await t.newWorkspace();
    agentKey = (await t.http.post('/v1/api-keys').set(as(ws.key)).send({ name: 'agent', role: 'agent' }).expect(201)).body.key;
    await define('ticket', { key: 'tier', label: 'Tier', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }] });
  });
  afterAll(() => t.close());

  describe('definitions', () => {
    it('creates, lists in position order, reads, updates and records events', async () => {
      const created = await define('contact', { key: 'seats', label: 'Seats', type: 'integer', position: 5 });
      expect(created).toEqual({
        id: expect.any(String), entity: 'contact', key: 'seats', label: 'Seats', type: 'integer', options: [], pattern: null, required: 'never',
        visibleToRequesters: false, editableByRequesters: false, position: 5, createdAt: expect.any(String), updatedAt: expect.any(String),
      });
      const first = await define('contact', { key: 'region', label: 'Region', type: 'text', position: 1 });
      const list = await t.http.get('/v1/fields/contact').set(as(agentKey));
      expect(list.status).toBe(200);
      expect(list.body.data.map((field: { key: string }) => field.key)).toEqual(['region', 'seats']);

      const fetched = await t.http.get('/v1/fields/contact/seats').set(as(agentKey));
      expect(fetched.body).toEqual(created);

      const updated = await t.http.patch('/v1/fields/contact/seats').set(as(ws.key)).send({ label: 'Licensed seats', position: 0 });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ key: 'seats', label: 'Licensed seats', position: 0 });
      expect((await eventsOf(created.id)).map((event) => event.type)).toEqual(['custom_field.created', 'custom_field.updated']);
      expect((await eventsOf(created.id))[1].payload.data.changes.label).toEqual({ before: 'Seats', after: 'Licensed seats' });
      expect(first.position).toBe(1);
    });

    it('supports organization definitions and every type', async () => {
      for (const [key, type, extra] of [
        ['note', 'textarea', {}], ['amount', 'decimal', {}], ['renewal', 'date', {}], ['vip', 'checkbox', {}],
        ['areas', 'multiselect', { options: [{ value: 'api', label: 'API' }] }], ['vat', 'regex', { pattern: '[A-Z]{2}[0-9]{8,12}' }],
      ] as const) {
        expect((await define('organization', { key, label: key, type, ...extra })).type).toBe(type);
      }
      expect((await t.http.get('/v1/fields/organization').set(as(ws.key))).body.data).toHaveLength(6);
    });

    it('refuses invalid definitions naming the field', async () => {
      const post = (body: Record<string, unknown>) => t.http.post('/v1/fields/ticket').set(as(ws.key)).send(body);
      expect(fieldsOf(await post({ key: 'Bad Key', label: 'x', type: 'text' }))).toEqual(['key']);
      expect(fieldsOf(await post({ key: 'choice', label: 'x', type: 'dropdown' }))).toEqual(['options']);
      expect(fieldsOf(await post({ key: 'choice', label: 'x', type: 'dropdown', options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] }))).toEqual(['options[1].value']);
      expect(fieldsOf(await post({ key: 'code', label: 'x', type: 'regex', pattern: '(' }))).toEqual(['pattern']);
      expect(fieldsOf(await post({ key: 'code', label: 'x', type: 'wat' }))).toEqual(['type']);
      expect((await t.http.post('/v1/fields/widget').set(as(ws.key)).send({ key: 'a', label: 'x', type: 'text' })).status).toBe(422);
      expect(fieldsOf(await t.http.post('/v1/fields/contact').set(as(ws.key)).send({ key: 'closing', label: 'x', type: 'text', required: 'on_solve' }))).toEqual(['required']);
      const duplicate = await post({ key: 'tier', label: 'Again', type: 'text' });
      expect(duplicate.status).toBe(409);
    });

    it('is admin-only to change and invisible to another workspace', async () => {
      expect((await t.http.post('/v1/fields/ticket').set(as(agentKey)).send({ key: 'nope', label: 'x', type: 'text' })).status).toBe(403);
      expect((await t.http.get('/v1/fields/ticket/tier').set(as(other.key))).status).toBe(404);
      expect((await t.http.patch('/v1/fields/ticket/tier').set(as(other.key)).send({ label: 'Mine' })).status).toBe(404);
      expect((await t.http.delete('/v1/fields/ticket/tier').set(as(other.key))).status).toBe(404);
      expect((await t.http.get('/v1/fields/ticket').set(as(other.key))).body.data).toEqual([]);
      // Another workspace may define the same key for itself.
      expect((await define('ticket', { key: 'tier', label: 'Theirs', type: 'text' }, other.key)).label).toBe('Theirs');
    });

    it('works through GraphQL', async () => {
      const created = await graphql(ws.key, 'mutation($input: CreateCustomFieldInput!) { createCustomField(entity: contact, input: $input) { key type options { value label } } }', {
        input: { key: 'plan', label: 'Plan', type: 'dropdown', options: [{ value: 'free', label: 'Free' }] },
      });
      expect(created.body.data.createCustomField).toEqual({ key: 'plan', type: 'dropdown', options: [{ value: 'free', label: 'Free' }] });
      const updated = await graphql(ws.key, 'mutation { updateCustomField(entity: contact, key: "plan", input: { label: "Pricing plan" }) { label } }');
      expect(updated.body.data.updateCustomField.label).toBe('Pricing plan');
      const listed = await graphql(agentKey, '{ customFields(entity: contact) { key } customFieldSettings { strictCustomFields } }');
      expect(listed.body.data.customFields.map((field: { key: string }) => field.key)).toContain('plan');
      expect(listed.body.data.customFieldSettings.strictCustomFields).toBe(false);
      const settings = await graphql(ws.key, 'mutation { updateCustomFieldSettings(input: { strictCustomFields: false }) { strictCustomFields } }');
      expect(settings.body.data.updateCustomFieldSettings).toEqual({ strictCustomFields: false });
      const deleted = await graphql(ws.key, 'mutation { deleteCustomField(entity: contact, key: "plan") }');
      expect(deleted.body.data.deleteCustomField).toBe('plan');
      const forbidden = await graphql(agentKey, 'mutation { deleteCustomField(entity: ticket, key: "tier") }');
      expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });
});
