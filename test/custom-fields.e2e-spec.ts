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
  const newTicket = async (customFields?: Record<string, unknown>, key = ws.key) =>
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
  describe('values on tickets', () => {
    beforeAll(async () => {
      await define('ticket', { key: 'seats', label: 'Seats', type: 'integer' });
      await define('ticket', { key: 'root_cause', label: 'Root cause', type: 'text', required: 'on_solve' });
    });

    it('refuses a dropdown value outside its options through REST create and PATCH, naming customFields.<key>', async () => {
      const refused = await newTicket({ tier: 'bronze' });
      expect(refused.status).toBe(422);
      expect(fieldsOf(refused)).toEqual(['customFields.tier']);
      const wrongType = await newTicket({ seats: 'many' });
      expect(fieldsOf(wrongType)).toEqual(['customFields.seats']);

      const created = await newTicket({ tier: 'gold', seats: 3, legacy: 'free-form' });
      expect(created.status).toBe(201);
      expect(created.body.customFields).toEqual({ tier: 'gold', seats: 3, legacy: 'free-form' });
      const patched = await t.http.patch(`/v1/tickets/${created.body.id}`).set(as(agentKey)).send({ customFields: { tier: 'bronze' } });
      expect(patched.status).toBe(422);
      expect(fieldsOf(patched)).toEqual(['customFields.tier']);
      const fine = await t.http.patch(`/v1/tickets/${created.body.id}`).set(as(agentKey)).send({ customFields: { tier: 'silver', seats: null } });
      expect(fine.status).toBe(200);
      expect(fine.body.customFields).toEqual({ tier: 'silver', legacy: 'free-form' });
    });

    it('refuses it through GraphQL', async () => {
      const ticket = (await newTicket()).body;
      const response = await graphql(agentKey, 'mutation($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { id customFields } }', {
        id: ticket.id, input: { customFields: { tier: 'platinum' } },
      });
      expect(response.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(response.body.errors[0].extensions)).toContain('customFields.tier');
      const created = await graphql(agentKey, 'mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }', {
        input: { subject: 'Gql', message: { body: 'x' }, requester: { email: `g-${unique()}@example.com` }, customFields: { tier: 'platinum' } },
      });
      expect(JSON.stringify(created.body.errors[0].extensions)).toContain('customFields.tier');
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(as(agentKey))).body.customFields).toEqual({});
    });

    it('refuses it through a macro, when saved and when applied after the options changed', async () => {
      const saved = await t.http.post('/v1/macros').set(as(ws.key)).send({ name: `Bronze ${unique()}`, actions: [{ type: 'set_custom_field', key: 'tier', value: 'bronze' }] });
      expect(saved.status).toBe(422);
      expect(fieldsOf(saved)).toEqual(['customFields.tier']);

      await define('ticket', { key: 'plan', label: 'Plan', type: 'dropdown', options: [{ value: 'basic', label: 'Basic' }, { value: 'legacy', label: 'Legacy' }] });
      const macro = (await t.http.post('/v1/macros').set(as(ws.key)).send({ name: `Legacy ${unique()}`, actions: [{ type: 'set_custom_field', key: 'plan', value: 'legacy' }] }).expect(201)).body;
      // Nobody uses "legacy" yet, so the option may go; the saved macro now names a value outside the options.
      await t.http.patch('/v1/fields/ticket/plan').set(as(ws.key)).send({ options: [{ value: 'basic', label: 'Basic' }] }).expect(200);
      const ticket = (await newTicket()).body;
      const applied = await t.http.post(`/v1/tickets/${ticket.id}/macros/${macro.id}/apply`).set(as(ws.key));
      expect(applied.status).toBe(422);
      expect(fieldsOf(applied)).toEqual(['customFields.plan']);
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(as(ws.key))).body.customFields).toEqual({});
    });

    it('refuses it through an automation rule, when saved and when it fires', async () => {
      const saved = await t.http.post('/v1/automation-rules').set(as(ws.key)).send({
        name: `Bronze ${unique()}`, events: ['ticket.created'], conditions: {}, actions: [{ type: 'set_custom_field', key: 'tier', value: 'bronze' }],
      });
      expect(saved.status).toBe(422);
      expect(fieldsOf(saved)).toEqual(['customFields.tier']);

      await define('ticket', { key: 'segment', label: 'Segment', type: 'dropdown', options: [{ value: 'smb', label: 'SMB' }, { value: 'old', label: 'Old' }] });
      const rule = (await t.http.post('/v1/automation-rules').set(as(ws.key)).send({
        name: `Old ${unique()}`, events: ['ticket.created'], conditions: {}, actions: [{ type: 'set_custom_field', key: 'segment', value: 'old' }, { type: 'add_tags', tags: ['ruled'] }],
      }).expect(201)).body;
      await t.http.patch('/v1/fields/ticket/segment').set(as(ws.key)).send({ options: [{ value: 'smb', label: 'SMB' }] }).expect(200);
      // The rule's change is refused as a whole and skipped; the ticket itself is created.
      const ticket = await newTicket();
      expect(ticket.status).toBe(201);
      expect(ticket.body.customFields).toEqual({});
      expect(ticket.body.tags).not.toContain('ruled');
      await t.http.delete(`/v1/automation-rules/${rule.id}`).set(as(ws.key)).expect(204);
    });

    it('blocks resolving while an on_solve field is empty (409 naming it), through PATCH and GraphQL', async () => {
      const ticket = (await newTicket()).body;
      const blocked = await t.http.patch(`/v1/tickets/${ticket.id}`).set(as(agentKey)).send({ status: 'resolved' });
      expect(blocked.status).toBe(409);
      expect(blocked.body.code ?? blocked.body.type).toBeDefined();
      expect(blocked.body.fields).toEqual(['customFields.root_cause']);
      const viaGraphql = await graphql(agentKey, 'mutation($id: ID!) { updateTicket(id: $id, input: { status: resolved }) { status } }', { id: ticket.id });
      expect(JSON.stringify(viaGraphql.body.errors[0].extensions)).toContain('customFields.root_cause');
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(as(agentKey))).body.status).not.toBe('resolved');

      const resolved = await t.http.patch(`/v1/tickets/${ticket.id}`).set(as(agentKey)).send({ status: 'resolved', customFields: { root_cause: 'Expired card' } });
      expect(resolved.status).toBe(200);
      expect(resolved.body.status).toBe('resolved');
    });

    it('refuses unknown keys once the workspace is strict', async () => {
      const strict = await t.http.put('/v1/field-settings').set(as(ws.key)).send({ strictCustomFields: true });
      expect(strict.body).toEqual({ strictCustomFields: true });
      expect((await t.http.get('/v1/fields/ticket').set(as(agentKey))).body.strictCustomFields).toBe(true);
      try {
        const refused = await newTicket({ legacy: 'x' });
        expect(refused.status).toBe(422);
        expect(fieldsOf(refused)).toEqual(['customFields.legacy']);
        expect((await newTicket({ tier: 'gold' })).status).toBe(201);
      } finally {
        await t.http.put('/v1/field-settings').set(as(ws.key)).send({ strictCustomFields: false }).expect(200);
      }
      expect((await t.http.put('/v1/field-settings').set(as(agentKey)).send({ strictCustomFields: true })).status).toBe(403);
    });
  });

  describe('values on contacts', () => {
    it('validates contact customFields on create and update', async () => {
      await define('contact', { key: 'language', label: 'Language', type: 'dropdown', options: [{ value: 'en', label: 'English' }, { value: 'de', label: 'German' }] });
      const refused = await t.http.post('/v1/contacts').set(as(agentKey)).send({ email: `c-${unique()}@example.com`, customFields: { language: 'xx' } });
      expect(refused.status).toBe(422);
      expect(fieldsOf(refused)).toEqual(['customFields.language']);
      const created = await t.http.post('/v1/contacts').set(as(agentKey)).send({ email: `c-${unique()}@example.com`, customFields: { language: 'en' } });
      expect(created.status).toBe(201);
      expect(created.body.customFields).toEqual({ language: 'en' });
      const patched = await t.http.patch(`/v1/contacts/${created.body.id}`).set(as(agentKey)).send({ customFields: { language: 'fr' } });
      expect(fieldsOf(patched)).toEqual(['customFields.language']);
      const fine = await t.http.patch(`/v1/contacts/${created.body.id}`).set(as(agentKey)).send({ customFields: { language: 'de' } });
      expect(fine.body.customFields).toEqual({ language: 'de' });
    });
  });

  describe('values on organizations', () => {
    it('validates organization customFields on create and update, through REST and GraphQL', async () => {
      await define('organization', { key: 'plan', label: 'Plan', type: 'dropdown', options: [{ value: 'pro', label: 'Pro' }, { value: 'free', label: 'Free' }] });
      const refused = await t.http.post('/v1/organizations').set(as(ws.key)).send({ name: `Org ${unique()}`, customFields: { plan: 'enterprise' } });
      expect(refused.status).toBe(422);
      expect(fieldsOf(refused)).toEqual(['customFields.plan']);
      const created = await t.http.post('/v1/organizations').set(as(ws.key)).send({ name: `Org ${unique()}`, customFields: { plan: 'pro' } }).expect(201);
      expect(created.body.customFields).toEqual({ plan: 'pro' });
      const patched = await t.http.patch(`/v1/organizations/${created.body.id}`).set(as(ws.key)).send({ customFields: { plan: 'gold' } });
      expect(patched.status).toBe(422);
      expect(fieldsOf(patched)).toEqual(['customFields.plan']);
      const viaGraphql = await graphql(ws.key, 'mutation($input: UpdateOrganizationInput!) { updateOrganization(id: "' + created.body.id + '", input: $input) { id } }', { input: { customFields: { plan: 'x' } } });
      expect(JSON.stringify(viaGraphql.body.errors)).toContain('customFields.plan');
      // Another workspace's definitions do not apply: there the key is free-form.
      await t.http.post('/v1/organizations').set(as(other.key)).send({ name: `Org ${unique()}`, customFields: { plan: 'enterprise' } }).expect(201);
      expect((await t.http.get(`/v1/organizations/${created.body.id}`).set(as(ws.key)).expect(200)).body.customFields).toEqual({ plan: 'pro' });

      // The fields module sees organizations' values: a type change is refused with their count, a delete removes them.
      const retyped = await t.http.patch('/v1/fields/organization/plan').set(as(ws.key)).send({ type: 'text' });
      expect(retyped.status).toBe(409);
      expect(retyped.body.count).toBe(1);
      await t.http.delete('/v1/fields/organization/plan').set(as(ws.key)).expect(204);
      expect((await t.http.get(`/v1/organizations/${created.body.id}`).set(as(ws.key)).expect(200)).body.customFields).toEqual({});
      const events = await eventsOf(created.body.id);
      expect(events.at(-1)).toMatchObject({ type: 'organization.updated', payload: { data: { changes: { customFields: { before: { plan: 'pro' }, after: {} } } } } });
    });
  });

  describe('changing and deleting definitions', () => {
    it('refuses a type change while values exist, with their count', async () => {
      await define('ticket', { key: 'score', label: 'Score', type: 'integer' });
      await newTicket({ score: 1 });
      await newTicket({ score: 2 });
      const refused = await t.http.patch('/v1/fields/ticket/score').set(as(ws.key)).send({ type: 'text' });
      expect(refused.status).toBe(409);
      expect(refused.body.count).toBe(2);
      // Relabelling is fine; so is dropping an option nobody uses, while one in use is refused.
      expect((await t.http.patch('/v1/fields/ticket/score').set(as(ws.key)).send({ label: 'NPS' })).status).toBe(200);
      const inUse = await t.http.patch('/v1/fields/ticket/tier').set(as(ws.key)).send({ options: [{ value: 'gold', label: 'Gold' }] });
      expect(inUse.status).toBe(409);
      expect(inUse.body.count).toBeGreaterThan(0);
    });

    it('deletes a field and removes its values with history', async () => {
      await define('ticket', { key: 'doomed', label: 'Doomed', type: 'checkbox' });
      const tickets = await Promise.all([newTicket({ doomed: true, seats: 4 }), newTicket({ doomed: false })]);
      const untouched = (await newTicket({ seats: 1 })).body;
      const foreign = (await newTicket({ doomed: 'kept' }, other.key)).body;
      const deleted = await t.http.delete('/v1/fields/ticket/doomed').set(as(ws.key));
      expect(deleted.status).toBe(204);
      expect((await t.http.get('/v1/fields/ticket/doomed').set(as(ws.key))).status).toBe(404);

      const first = (await t.http.get(`/v1/tickets/${tickets[0].body.id}`).set(as(ws.key))).body;
      expect(first.customFields).toEqual({ seats: 4 });
      expect((await t.http.get(`/v1/tickets/${tickets[1].body.id}`).set(as(ws.key))).body.customFields).toEqual({});
      const history = (await t.http.get(`/v1/tickets/${first.id}/events`).set(as(ws.key))).body.data;
      expect(history.at(-1)).toMatchObject({ type: 'ticket.updated', changes: { customFields: { before: { doomed: true, seats: 4 }, after: { seats: 4 } } } });
      const untouchedHistory = (await t.http.get(`/v1/tickets/${untouched.id}/events`).set(as(ws.key))).body.data;
      expect(untouchedHistory.map((event: { type: string }) => event.type)).not.toContain('ticket.updated');
      // Another workspace's values under the same key stay.
      expect((await t.http.get(`/v1/tickets/${foreign.id}`).set(as(other.key))).body.customFields).toEqual({ doomed: 'kept' });
    });

    it('deletes contact values too', async () => {
      await define('contact', { key: 'shoe', label: 'Shoe size', type: 'integer' });
      const contact = (await t.http.post('/v1/contacts').set(as(ws.key)).send({ email: `s-${unique()}@example.com`, customFields: { shoe: 42 } }).expect(201)).body;
      await t.http.delete('/v1/fields/contact/shoe').set(as(ws.key)).expect(204);
      expect((await t.http.get(`/v1/contacts/${contact.id}`).set(as(ws.key))).body.customFields).toEqual({});
      expect((await eventsOf(contact.id)).map((event) => event.type)).toEqual(['contact.created', 'contact.updated']);
    });
  });
  describe('portal', () => {
    it('shows only visible fields and accepts only editable ones', async () => {
      await define('ticket', { key: 'device', label: 'Device', type: 'text', visibleToRequesters: true, editableByRequesters: true });
      await define('ticket', { key: 'product', label: 'Product', type: 'text', visibleToRequesters: true });
      await define('ticket', { key: 'internal_cost', label: 'Cost', type: 'decimal' });
      const contact = (await t.http.post('/v1/contacts').set(as(ws.key)).send({ email: `p-${unique()}@example.com` }).expect(201)).body;
      const token = (await t.http.post('/v1/portal/tokens').set(as(ws.key)).send({ contactId: contact.id }).expect(201)).body.token;
      const portal = { Authorization: `Bearer ${token}` };

      const hidden = await t.http.post('/v1/portal/tickets').set(portal).send({ subject: 'Broken', message: { body: 'x' }, customFields: { internal_cost: 3 } });
      expect(hidden.status).toBe(422);
      expect(fieldsOf(hidden)).toEqual(['customFields.internal_cost']);
      const readOnly = await t.http.post('/v1/portal/tickets').set(portal).send({ subject: 'Broken', message: { body: 'x' }, customFields: { product: 'X' } });
      expect(fieldsOf(readOnly)).toEqual(['customFields.product']);

      const created = await t.http.post('/v1/portal/tickets').set(portal).send({ subject: 'Broken', message: { body: 'x' }, customFields: { device: 'Laptop' } });
      expect(created.status).toBe(201);
      expect(created.body.customFields).toEqual({ device: 'Laptop' });
      await t.http.patch(`/v1/tickets/${created.body.id}`).set(as(ws.key)).send({ customFields: { product: 'Printer', internal_cost: 12.5 } }).expect(200);
      const seen = await t.http.get(`/v1/portal/tickets/${created.body.id}`).set(portal);
      expect(seen.body.customFields).toEqual({ device: 'Laptop', product: 'Printer' });
      const listed = await t.http.get('/v1/portal/tickets').set(portal);
      expect(listed.body.data[0].customFields).toEqual({ device: 'Laptop', product: 'Printer' });
      expect((await t.http.get(`/v1/tickets/${created.body.id}`).set(as(ws.key))).body.customFields).toEqual({ device: 'Laptop', product: 'Printer', internal_cost: 12.5 });
    });
  });
  describe('list filters', () => {
    it('filters tickets by custom field equality and ranges, in REST and GraphQL', async () => {
      await define('ticket', { key: 'budget', label: 'Budget', type: 'decimal' });
      await define('ticket', { key: 'due', label: 'Due', type: 'date' });
      const cheap = (await newTicket({ budget: 5, due: '2026-01-10', tier: 'gold' })).body;
      const dear = (await newTicket({ budget: 500, due: '2026-03-01', tier: 'gold' })).body;
      const silver = (await newTicket({ budget: 50, tier: 'silver' })).body;
      const ids = async (query: string) => (await t.http.get(`/v1/tickets?${query}&limit=100`).set(as(agentKey)).expect(200)).body.data.map((ticket: { id: string }) => ticket.id);
      const gold = await ids('customField=tier:gold');
      expect(gold).toEqual(expect.arrayContaining([cheap.id, dear.id]));
      expect(gold).not.toContain(silver.id);
      expect(await ids('customField=budget:gte:50')).toEqual(expect.arrayContaining([dear.id, silver.id]));
      expect(await ids('customField=budget:gte:50')).not.toContain(cheap.id);
      expect(await ids('customField=budget:5')).toEqual([cheap.id]);
      expect(await ids('customField=tier:gold&customField=due:lt:2026-02-01')).toEqual([cheap.id]);
      expect((await t.http.get('/v1/tickets?customField=nonsense').set(as(agentKey))).status).toBe(422);
      // Another workspace sees none of them.
      expect((await t.http.get('/v1/tickets?customField=tier:gold').set(as(other.key))).body.data).toEqual([]);
      const viaGraphql = await graphql(agentKey, 'query($f: TicketFilter) { tickets(filter: $f, first: 50) { edges { node { id } } } }', { f: { customField: ['budget:lt:10'] } });
      expect(viaGraphql.body.data.tickets.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([cheap.id]);
    });
  });
});
