import { ConfigError } from '../../src/config/app-config';
import { inputConfig } from '../../src/config/input-config';
import { startTestApp, TestApp } from '../support/test-app';

/** `{"a":{"a":…}}` with `levels` objects, the innermost holding `leaf`. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

/** The same as raw JSON text, for depths JSON.stringify itself would overflow on. */
function nestedText(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

const CONTACT_FIELDS = 'id name metadata';

describe('500s from input answer 4xx problems naming the field', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const gql = (query: string, variables: Record<string, unknown> = {}) => t.http.post('/graphql').set(admin).send({ query, variables });
  const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((error) => error.field);
  const gqlFieldsOf = (body: { errors?: Array<{ extensions?: { errors?: Array<{ field: string }> } }> }) =>
    body.errors?.[0]?.extensions?.errors?.map((error) => error.field) ?? [];
  const ticket = { subject: 'Printer on fire', message: { body: 'Smoke' }, requester: { email: 'jo@example.com' } };

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' });
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  describe('NUL characters and lone surrogates', () => {
    it.each([
      ['a NUL', 'Jo\u0000Bloggs', 'NUL'],
      ['a lone high surrogate', 'Jo\ud800', 'surrogate'],
      ['a lone low surrogate', '\udc00Jo', 'surrogate'],
    ])('refuses %s in a REST body field with 422 naming the field', async (_, text, word) => {
      const response = await t.http.post('/v1/contacts').set(admin).send({ name: text, email: 'nul@example.com' });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors).toEqual([{ field: 'name', message: expect.stringContaining(word) }]);
    });

    it('names nested fields, array items and keys of free-form JSON', async () => {
      const inBody = await t.http.post('/v1/tickets').set(admin).send({ ...ticket, message: { body: 'x\u0000' } });
      expect(inBody.status).toBe(422);
      expect(fieldsOf(inBody.body)).toEqual(['message.body']);
      const inTag = await t.http.post('/v1/tickets').set(admin).send({ ...ticket, tags: ['ok', 'bad\u0000'] });
      expect(fieldsOf(inTag.body)).toEqual(['tags[1]']);
      const inKey = await t.http.post('/v1/tickets').set(admin).send({ ...ticket, customFields: { 'pl\u0000an': 'pro' } });
      expect(inKey.status).toBe(422);
      expect(fieldsOf(inKey.body)).toEqual(['customFields']);
      const inValue = await t.http.post('/v1/contacts').set(admin).send({ name: 'Jo', metadata: { plan: { tier: '\ud800' } } });
      expect(fieldsOf(inValue.body)).toEqual(['metadata.plan.tier']);
    });

    it('refuses them in query strings (q, filters) with 422 naming the parameter', async () => {
      for (const path of ['/v1/contacts?q=%00', '/v1/search?q=a%00b', '/v1/tickets?q=x%00', '/v1/tickets?tag=%00']) {
        const response = await t.http.get(path).set(admin);
        expect({ path, status: response.status }).toEqual({ path, status: 422 });
        expect(fieldsOf(response.body)).toEqual([path.includes('tag=') ? 'tag' : 'q']);
      }
    });

    it('refuses them in GraphQL variables and inline arguments the same way', async () => {
      const variables = await gql(`mutation($input: CreateContactInput!) { createContact(input: $input) { ${CONTACT_FIELDS} } }`, { input: { name: 'a\u0000' } });
      expect(variables.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
      expect(gqlFieldsOf(variables.body)).toEqual(['name']);
      const surrogate = await gql(`mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }`, { input: { ...ticket, subject: '\ud83d' } });
      expect(gqlFieldsOf(surrogate.body)).toEqual(['subject']);
      const inline = await gql(`{ contacts(q: "x\\u0000") { edges { node { id } } } }`);
      expect(inline.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect(gqlFieldsOf(inline.body)).toEqual(['q']);
      const search = await gql(`query($q: String!) { search(q: $q) { edges { node { rank } } } }`, { q: '\u0000' });
      expect(search.body.errors?.[0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED' } });
      expect(gqlFieldsOf(search.body)).toEqual(['q']);
    });

    it('still stores well-formed text outside the Basic Multilingual Plane', async () => {
      const response = await t.http.post('/v1/contacts').set(admin).send({ name: 'Jo 🎉 𝒥' });
      expect(response.status).toBe(201);
      expect(response.body.name).toBe('Jo 🎉 𝒥');
    });
  });

  describe('deeply nested JSON', () => {
    it('caps free-form fields at JSON_MAX_DEPTH (16) levels, REST and GraphQL', async () => {
      const atLimit = await t.http.post('/v1/contacts').set(admin).send({ name: 'Deep', metadata: nested(16) });
      expect(atLimit.status).toBe(201);
      const over = await t.http.post('/v1/contacts').set(admin).send({ name: 'Deeper', metadata: nested(17) });
      expect(over.status).toBe(422);
      expect(over.body.errors).toEqual([{ field: 'metadata', message: 'must not nest deeper than 16 levels' }]);
      const customFields = await t.http.post('/v1/tickets').set(admin).send({ ...ticket, customFields: nested(17) });
      expect(fieldsOf(customFields.body)).toEqual(['customFields']);
      const viaGraphql = await gql(`mutation($input: CreateContactInput!) { createContact(input: $input) { id } }`, { input: { name: 'G', metadata: nested(17) } });
      expect(viaGraphql.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect(gqlFieldsOf(viaGraphql.body)).toEqual(['metadata']);
    });

    it('caps free-form fields at JSON_MAX_FIELD_BYTES (16 KiB)', async () => {
      const big = await t.http.post('/v1/contacts').set(admin).send({ name: 'Big', metadata: { blob: 'x'.repeat(16 * 1024) } });
      expect(big.status).toBe(422);
      expect(fieldsOf(big.body)).toEqual(['metadata']);
    });

    it('answers 10,000 levels in metadata or customFields with 422, not a stack overflow', async () => {
      const contact = await t.http.post('/v1/contacts').set(admin).set('content-type', 'application/json').send(`{"name":"x","metadata":${nestedText(10_000)}}`);
      expect(contact.status).toBe(422);
      expect(fieldsOf(contact.body)).toEqual(['metadata']);
      const update = await t.http.patch(`/v1/contacts/${contact.body.id ?? '00000000-0000-4000-8000-000000000000'}`).set(admin).set('content-type', 'application/json').send(`{"metadata":${nestedText(10_000)}}`);
      expect(update.status).toBe(422);
      const tickets = await t.http.post('/v1/tickets').set(admin).set('content-type', 'application/json').send(`{"subject":"x","customFields":${nestedText(10_000)}}`);
      expect(tickets.status).toBe(422);
      expect(fieldsOf(tickets.body)).toEqual(['customFields']);
    });

    it('answers a body 100,000 levels deep in an unknown field with 4xx on any route, REST or GraphQL', async () => {
      const body = `{"unknown":${nestedText(100_000)}}`;
      for (const path of ['/v1/tickets', '/v1/contacts', '/v1/macros', '/v1/auth/login']) {
        const response = await t.http.post(path).set(admin).set('content-type', 'application/json').set('Idempotency-Key', `deep-${path}`).send(body);
        expect({ path, status: response.status }).toEqual({ path, status: 422 });
        expect(fieldsOf(response.body)).toEqual(['unknown']);
      }
      const graphql = await t.http.post('/graphql').set(admin).set('content-type', 'application/json')
        .send(`{"query":"mutation($input: CreateContactInput!) { createContact(input: $input) { id } }","variables":{"input":{"metadata":${nestedText(100_000)}}}}`);
      expect(graphql.status).toBeGreaterThanOrEqual(400);
      expect(graphql.status).toBeLessThan(500);
      // The server is still up.
      expect((await t.http.get('/v1/tickets').set(admin)).status).toBe(200);
    });
  });

  describe('forged cursors', () => {
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const uuid = '00000000-0000-4000-8000-000000000000';
    const forgeries: Array<[string, string, string]> = [
      ['a non-UUID id', forge(['-createdAt', '2026-01-01T00:00:00.000Z', 'not-a-uuid']), '-createdAt'],
      ['a non-date sort value', forge(['-createdAt', 'yesterday', uuid]), '-createdAt'],
      ['a date JavaScript rolls over', forge(['-createdAt', '2026-02-30T00:00:00.000Z', uuid]), '-createdAt'],
      ['a number where a date belongs', forge(['updatedAt', 5, uuid]), 'updatedAt'],
      ['garbage base64', '!!!%%%', '-createdAt'],
      ['base64 of something not JSON', Buffer.from('hello').toString('base64url'), '-createdAt'],
      ['base64 of the wrong JSON', forge({ sort: '-createdAt' }), '-createdAt'],
      ['base64 of null', forge(null), '-createdAt'],
      ['a priority cursor with a fraction', forge(['priority', 1.5, uuid]), 'priority'],
      ['a priority cursor beyond int4', forge(['-priority', 1e12, uuid]), '-priority'],
      ['an SLA cursor out of range', forge(['slaDueAt', -1e300, uuid]), 'slaDueAt'],
      ['a cursor of another sort', forge(['createdAt', '2026-01-01T00:00:00.000Z', uuid]), '-createdAt'],
    ];

    it.each(forgeries)('answers a ticket list cursor with %s with 400 "invalid cursor" naming cursor', async (_, cursor, sort) => {
      const response = await t.http.get('/v1/tickets').query({ cursor, sort }).set(admin);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ title: 'Invalid Cursor', detail: expect.stringMatching(/^Invalid cursor/) });
      expect(fieldsOf(response.body)).toEqual(['cursor']);
    });

    it('refuses forged cursors on every kind of list the same way', async () => {
      const cursor = forge(['createdAt', 'not a date', 'not-a-uuid']);
      for (const path of ['/v1/contacts', '/v1/teams', '/v1/macros', '/v1/search?q=printer', '/v1/sla-policies', '/v1/automation-rules', '/v1/webhooks']) {
        const response = await t.http.get(path).query({ cursor }).set(admin);
        expect({ path, status: response.status, fields: fieldsOf(response.body) }).toEqual({ path, status: 400, fields: ['cursor'] });
      }
      const position = await t.http.get('/v1/sla-policies').query({ cursor: forge(['position', 'zero', uuid]) }).set(admin);
      expect(position.status).toBe(400);
    });

    it('refuses them in GraphQL with code INVALID_CURSOR', async () => {
      const response = await gql(`query($after: String) { tickets(after: $after) { edges { node { id } } } }`, { after: forge(['createdAtDesc', 'x', 'y']) });
      expect(response.body.errors[0].extensions).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    });
  });

  describe('foreign keys', () => {
    it('answers a macro naming another workspace\'s team with 422 naming teamId, REST and GraphQL', async () => {
      const other = await t.newWorkspace();
      const team = await t.http.post('/v1/teams').set(t.auth(other.key)).send({ name: 'Theirs' }).expect(201);
      const rest = await t.http.post('/v1/macros').set(admin).send({ name: 'Reach', visibility: 'team', teamId: team.body.id, actions: [{ type: 'set_status', status: 'pending' }] });
      expect(rest.status).toBe(422);
      expect(fieldsOf(rest.body)).toEqual(['teamId']);
      const graphql = await gql(`mutation($input: CreateMacroInput!) { createMacro(input: $input) { id } }`, {
        input: { name: 'Reach', visibility: 'team', teamId: team.body.id, actions: [{ type: 'set_status', status: 'pending' }] },
      });
      expect(graphql.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
      expect(gqlFieldsOf(graphql.body)).toEqual(['teamId']);
    });

    it('answers a non-existent id in a reference field with 422 naming it', async () => {
      const missing = '00000000-0000-4000-8000-00000000abcd';
      const macro = await t.http.post('/v1/macros').set(admin).send({ name: 'Ghost', visibility: 'team', teamId: missing, actions: [{ type: 'set_status', status: 'pending' }] });
      expect(macro.status).toBe(422);
      expect(fieldsOf(macro.body)).toEqual(['teamId']);
      const policy = await t.http.post('/v1/sla-policies').set(admin).send({ name: 'Ghost hours', businessHoursId: missing, targets: { normal: { firstResponse: 60 } } });
      expect(policy.status).toBe(422);
      expect(fieldsOf(policy.body)).toEqual(['businessHoursId']);
    });
  });

  describe('requests refused before any route runs', () => {
    it('answers an over-long path segment with 414 problem+json', async () => {
      const response = await t.http.get(`/v1/tickets/${'x'.repeat(300)}`).set(admin);
      expect(response.status).toBe(414);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 414, title: 'URI Too Long' });
    });

    it('answers headers over 16 KiB with 431 problem+json', async () => {
      const response = await t.http.get(`/v1/tickets?q=${'x'.repeat(20_000)}`).set(admin);
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
    });
  });

  describe('found by the fuzz test', () => {
    it('creates a second workspace of the same name inside an idempotent request (the slug retry once hit an aborted transaction)', async () => {
      const first = await t.http.post('/v1/workspaces').set(admin).set('Idempotency-Key', 'ws-same-name-1').send({ name: 'E' });
      expect(first.status).toBe(201);
      const second = await t.http.post('/v1/workspaces').set(admin).set('Idempotency-Key', 'ws-same-name-2').send({ name: 'E' });
      expect(second.status).toBe(201);
      expect(second.body.workspace.slug).toMatch(/^workspace-e-[0-9a-f]{6}$/);
      const taken = await t.http.post('/v1/workspaces').set(admin).set('Idempotency-Key', 'ws-same-name-3').send({ name: 'E', slug: 'workspace-e' });
      expect(taken.status).toBe(409);
    });

    it('refuses null for fields a change may leave out but not clear, naming them (REST and GraphQL)', async () => {
      const created = await t.http.post('/v1/tickets').set(admin).send(ticket).expect(201);
      for (const field of ['subject', 'priority', 'tags', 'customFields']) {
        const response = await t.http.patch(`/v1/tickets/${created.body.id}`).set(admin).send({ [field]: null });
        expect({ field, status: response.status, fields: fieldsOf(response.body) }).toEqual({ field, status: 422, fields: expect.arrayContaining([field]) });
      }
      const agent = await t.http.post('/v1/agents').set(admin).send({ name: 'Null Agent', email: 'null.agent@example.com', role: 'agent' }).expect(201);
      for (const field of ['name', 'email', 'role', 'availability']) {
        const response = await t.http.patch(`/v1/agents/${agent.body.id}`).set(admin).send({ [field]: null });
        expect({ field, status: response.status, fields: fieldsOf(response.body) }).toEqual({ field, status: 422, fields: expect.arrayContaining([field]) });
      }
      const graphql = await gql(`mutation($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { id } }`, { id: created.body.id, input: { tags: null } });
      expect(graphql.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
      expect(gqlFieldsOf(graphql.body)).toEqual(expect.arrayContaining(['tags']));
    });

    it('refuses an array where one nested object belongs, naming the field', async () => {
      const convert = await t.http.post('/v1/channels/chat-messages/convert').set(admin).send({ chatMessage: [], subject: 'x' });
      expect(convert.status).toBe(422);
      expect(fieldsOf(convert.body)).toContain('chatMessage');
      const created = await t.http.post('/v1/tickets').set(admin).send({ ...ticket, requester: [{ email: 'jo@example.com' }] });
      expect(created.status).toBe(422);
      expect(fieldsOf(created.body)).toContain('requester');
    });

    it('stores a null condition list as absent, so answers keep their documented array type', async () => {
      const policy = await t.http.post('/v1/sla-policies').set(admin).send({ name: 'Null lists', conditions: { priorities: null, tags: ['vip'] }, targets: {}, pausedStatuses: { resolution: null } });
      expect(policy.status).toBe(201);
      expect(policy.body.conditions.priorities ?? []).toEqual(expect.any(Array));
      expect(policy.body.conditions.tags).toEqual(['vip']);
      const listed = await t.http.get('/v1/sla-policies').set(admin).query({ limit: 100 });
      const again = listed.body.data.find((candidate: { id: string }) => candidate.id === policy.body.id);
      expect(again.conditions.priorities === null).toBe(false);
      expect(again.pausedStatuses.resolution === null).toBe(false);
      const rule = await t.http.post('/v1/automation-rules').set(admin).send({ name: 'Null any', events: ['ticket.created'], conditions: { any: null }, actions: [{ type: 'add_tags', tags: ['x'] }] });
      expect(rule.status).toBe(201);
      expect(rule.body.conditions.any === null).toBe(false);
    });

    it('answers a form-encoded body on a route that takes JSON or raw MIME with 422, not 500', async () => {
      const response = await t.http.post('/v1/channels/email/inbound').set(admin).set('content-type', 'application/x-www-form-urlencoded').send('{"raw":"a"}');
      expect(response.status).toBe(422);
    });
  });

  describe('POST /v1/tickets without required parts', () => {
    it('lists the missing requester', async () => {
      const response = await t.http.post('/v1/tickets').set(admin).send({ subject: 'x', message: { body: 'b' } });
      expect(response.status).toBe(422);
      expect(new Set(fieldsOf(response.body))).toEqual(new Set(['requester']));
    });

    it('lists every missing field at once', async () => {
      const noMessage = await t.http.post('/v1/tickets').set(admin).send({ subject: 'x', requester: { email: 'a@example.com' } });
      expect(noMessage.status).toBe(422);
      expect(new Set(fieldsOf(noMessage.body))).toEqual(new Set(['message']));
      const empty = await t.http.post('/v1/tickets').set(admin).send({});
      expect(empty.status).toBe(422);
      expect(new Set(fieldsOf(empty.body))).toEqual(new Set(['subject', 'message', 'requester']));
      const nulls = await t.http.post('/v1/tickets').set(admin).send({ subject: 'x', message: null, requester: null });
      expect(nulls.status).toBe(422);
      expect(new Set(fieldsOf(nulls.body))).toEqual(new Set(['message', 'requester']));
    });

    it('GraphQL refuses the same input before it reaches the resolver', async () => {
      const response = await gql(`mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }`, { input: { subject: 'x', message: { body: 'b' } } });
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors[0].message).toMatch(/requester/);
    });
  });
});

describe('input limits configuration', () => {
  it('defaults to 16 levels and 16 KiB per free-form field, 64 levels per body', () => {
    expect(inputConfig({})).toEqual({ jsonMaxDepth: 16, jsonMaxFieldBytes: 16384, bodyMaxDepth: 64 });
  });

  it('refuses invalid values at boot naming the variable', () => {
    expect(() => inputConfig({ JSON_MAX_DEPTH: '0' })).toThrow(ConfigError);
    expect(() => inputConfig({ JSON_MAX_DEPTH: 'deep' })).toThrow(/JSON_MAX_DEPTH/);
    expect(() => inputConfig({ JSON_MAX_FIELD_BYTES: '10' })).toThrow(/JSON_MAX_FIELD_BYTES/);
    expect(() => inputConfig({ JSON_MAX_DEPTH: '60', JSON_MAX_BODY_DEPTH: '64' })).toThrow(/JSON_MAX_BODY_DEPTH/);
    expect(inputConfig({ JSON_MAX_DEPTH: '100' }).bodyMaxDepth).toBe(116);
  });

  it('applies configured limits at their edges', async () => {
    const t = await startTestApp({ JSON_MAX_DEPTH: '4', JSON_MAX_FIELD_BYTES: '256', JSON_MAX_BODY_DEPTH: '12', WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' });
    try {
      const admin = t.auth(t.main.key);
      expect((await t.http.post('/v1/contacts').set(admin).send({ name: 'Four', metadata: nested(4) })).status).toBe(201);
      const five = await t.http.post('/v1/contacts').set(admin).send({ name: 'Five', metadata: nested(5) });
      expect(five.body.errors).toEqual([{ field: 'metadata', message: 'must not nest deeper than 4 levels' }]);
      const json = (bytes: number) => ({ blob: 'x'.repeat(bytes - '{"blob":""}'.length) });
      expect((await t.http.post('/v1/contacts').set(admin).send({ name: 'Fits', metadata: json(256) })).status).toBe(201);
      const tooBig = await t.http.post('/v1/contacts').set(admin).send({ name: 'Big', metadata: json(257) });
      expect(tooBig.body.errors).toEqual([{ field: 'metadata', message: 'must be at most 256 bytes as JSON' }]);
      expect((await t.http.post('/v1/contacts').set(admin).send({ name: 'Body', extra: nested(11) })).body.errors[0].message).toMatch(/not a known field/);
      // The body itself is the first of the 12 levels.
      expect((await t.http.post('/v1/contacts').set(admin).send({ name: 'Body', extra: nested(12) })).body.errors[0]).toEqual({ field: 'extra', message: 'must not nest deeper than 12 levels' });
    } finally {
      await t.close();
    }
  });
});
