import { DataSource } from 'typeorm';
import { systemPrincipal } from '../src/auth/principal';
import { ValidationFailed } from '../src/common/errors/domain-errors';
import { ContactsService } from '../src/contacts/contacts.service';
import { TransactionRunner } from '../src/database/transaction-runner';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

describe('contacts', () => {
  let t: TestApp;
  let db: DataSource;
  let other: TestWorkspace;
  let agentKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    other = await t.newWorkspace();
    agentKey = (await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'agent', role: 'agent' }).expect(201)).body.key;
  });
  afterAll(() => t.close());

  const create = (key: string, body: Record<string, unknown>) => t.http.post('/v1/contacts').set(t.auth(key)).send(body);
  const eventsOf = (subjectId: string): Promise<Array<{ type: string; payload: { data: Record<string, any> } }>> =>
    db.query('SELECT type, payload FROM outbox_events WHERE subject_id = $1 ORDER BY position', [subjectId]);
  const graphql = (key: string, query: string, variables: Record<string, unknown> = {}) => t.http.post('/graphql').set(t.auth(key)).send({ query, variables });
  // Contacts created within one millisecond tie on createdAt; the list breaks ties by id, and so must expectations.
  const newestFirst = (contacts: Array<{ id: string; createdAt: string }>) =>
    [...contacts].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((contact) => contact.id);
  const insertTicket = (workspaceId: string, requesterId: string) =>
    db.query(
      `INSERT INTO tickets (workspace_id, number, subject, status, priority, channel, requester_id)
       VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM tickets WHERE workspace_id = $1), 'Help', 'new', 'normal', 'api', $2)`,
      [workspaceId, requesterId],
    );

  describe('REST', () => {
    it('creates a contact, lower-cases its email, reads it back and records contact.created', async () => {
      const created = await create(t.main.key, { name: 'Maria Lopez', email: 'Maria@Example.COM', phone: '+34 600 000 000', externalId: 'crm-1', metadata: { plan: 'pro', seats: 3 } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Maria Lopez',
        email: 'maria@example.com',
        phone: '+34 600 000 000',
        externalId: 'crm-1',
        organizationId: null,
        metadata: { plan: 'pro', seats: 3 },
        customFields: {},
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const fetched = await t.http.get(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key));
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(created.body);

      const events = await eventsOf(created.body.id);
      expect(events.map((event) => event.type)).toEqual(['contact.created']);
      expect(events[0].payload.data.contact).toEqual(created.body);
    });

    it('lets agents create and edit contacts, not only admins', async () => {
      const created = await create(agentKey, { email: 'by-agent@example.com' });
      expect(created.status).toBe(201);
      const updated = await t.http.patch(`/v1/contacts/${created.body.id}`).set(t.auth(agentKey)).send({ name: 'Agent Made' });
      expect(updated.status).toBe(200);
      expect(updated.body.name).toBe('Agent Made');
    });

    it('accepts a contact known only by name or only by externalId', async () => {
      expect((await create(t.main.key, { name: 'Walk-in' })).status).toBe(201);
      const external = await create(t.main.key, { externalId: 'only-external' });
      expect(external.status).toBe(201);
      expect(external.body).toMatchObject({ name: null, email: null, phone: null, externalId: 'only-external', metadata: {} });
    });

    it('rejects invalid input with 422 naming each field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ email: 'a@example.com', nickname: 'x' }, 'nickname'],
        [{ email: 'not-an-email' }, 'email'],
        [{ name: 'x', phone: '1'.repeat(51) }, 'phone'],
        [{ name: 'x', metadata: ['a', 'b'] }, 'metadata'],
        [{ name: 'x', metadata: 'text' }, 'metadata'],
        [{ name: 'x', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, 'metadata'],
        [{ name: 'x', metadata: { blob: 'x'.repeat(16 * 1024) } }, 'metadata'],
        [{ phone: '123' }, 'email'],
        [{}, 'email'],
        [{ name: '' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const response = await create(t.main.key, body);
        expect({ body, status: response.status }).toEqual({ body, status: 422 });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      }
    });

    it('accepts metadata right at the limits', async () => {
      const fiftyKeys = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
      expect((await create(t.main.key, { name: 'keys', metadata: fiftyKeys })).status).toBe(201);
    });

    it('answers 409 naming the field for a duplicate email (any case) or externalId, and records nothing', async () => {
      const first = await create(t.main.key, { email: 'dup@example.com', externalId: 'dup-ext' });
      expect(first.status).toBe(201);
      const [{ count: before }] = await db.query(`SELECT count(*)::int AS count FROM outbox_events WHERE type = 'contact.created'`);

      const sameEmail = await create(t.main.key, { email: 'DUP@example.com' });
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.body).toMatchObject({ status: 409, field: 'email' });
      const sameExternal = await create(t.main.key, { externalId: 'dup-ext', name: 'Someone else' });
      expect(sameExternal.status).toBe(409);
      expect(sameExternal.body.field).toBe('externalId');

      const [{ count: after }] = await db.query(`SELECT count(*)::int AS count FROM outbox_events WHERE type = 'contact.created'`);
      expect(after).toBe(before);

      const second = await create(t.main.key, { email: 'dup2@example.com' });
      const clash = await t.http.patch(`/v1/contacts/${second.body.id}`).set(t.auth(t.main.key)).send({ email: 'Dup@Example.com' });
      expect(clash.status).toBe(409);
      expect(clash.body.field).toBe('email');
    });

    it('patches only the given fields, clears fields set to null and records the changes', async () => {
      const created = await create(t.main.key, { name: 'Patch Me', email: 'patch@example.com', phone: '123', metadata: { a: 1 } });
      const id = created.body.id;

      const renamed = await t.http.patch(`/v1/contacts/${id}`).set(t.auth(t.main.key)).send({ name: 'Patched', metadata: { b: 2 } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Patched', email: 'patch@example.com', phone: '123', metadata: { b: 2 } });

      const cleared = await t.http.patch(`/v1/contacts/${id}`).set(t.auth(t.main.key)).send({ phone: null, metadata: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ name: 'Patched', phone: null, metadata: {} });
      expect((await t.http.get(`/v1/contacts/${id}`).set(t.auth(t.main.key))).body).toEqual(cleared.body);

      const updates = (await eventsOf(id)).filter((event) => event.type === 'contact.updated');
      expect(updates.map((event) => event.payload.data.changes)).toEqual([
        { name: { before: 'Patch Me', after: 'Patched' }, metadata: { before: { a: 1 }, after: { b: 2 } } },
        { phone: { before: '123', after: null }, metadata: { before: { b: 2 }, after: {} } },
      ]);
      expect(updates[1].payload.data.contact).toEqual(cleared.body);
    });

    it('records no event for a patch that changes nothing', async () => {
      const created = await create(t.main.key, { name: 'Same', metadata: { x: 1, y: 2 } });
      const unchanged = await t.http.patch(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key)).send({ name: 'Same', metadata: { y: 2, x: 1 } });
      expect(unchanged.status).toBe(200);
      expect(unchanged.body.updatedAt).toBe(created.body.updatedAt);
      expect((await eventsOf(created.body.id)).map((event) => event.type)).toEqual(['contact.created']);
    });

    it('refuses a patch that would leave a contact without email, externalId and name', async () => {
      const created = await create(t.main.key, { email: 'last-id@example.com', phone: '5' });
      const response = await t.http.patch(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key)).send({ email: null });
      expect(response.status).toBe(422);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('email');
      expect((await t.http.get(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key))).body.email).toBe('last-id@example.com');
    });

    it('rejects unknown fields and bad values on patch', async () => {
      const created = await create(t.main.key, { name: 'Strict' });
      const unknown = await t.http.patch(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key)).send({ role: 'vip' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('role');
      const badEmail = await t.http.patch(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key)).send({ email: 'nope' });
      expect(badEmail.status).toBe(422);
      expect(badEmail.body.errors[0].field).toBe('email');
      expect((await t.http.get('/v1/contacts/not-a-uuid').set(t.auth(t.main.key))).status).toBe(422);
    });

    it('deletes a contact with 204, records contact.deleted and then answers 404', async () => {
      const created = await create(t.main.key, { email: 'gone@example.com' });
      const deleted = await t.http.delete(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key));
      expect(deleted.status).toBe(204);
      expect((await t.http.get(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key))).status).toBe(404);
      expect((await t.http.delete(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key))).status).toBe(404);
      const events = await eventsOf(created.body.id);
      expect(events.map((event) => event.type)).toEqual(['contact.created', 'contact.deleted']);
      expect(events[1].payload.data.contact.email).toBe('gone@example.com');
      // The email is free again.
      expect((await create(t.main.key, { email: 'gone@example.com' })).status).toBe(201);
    });

    it('refuses to delete the requester of a ticket with 409 contact_has_tickets', async () => {
      const created = await create(t.main.key, { email: 'requester@example.com' });
      await insertTicket(t.main.id, created.body.id);
      const response = await t.http.delete(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key));
      expect(response.status).toBe(409);
      expect(response.body.type).toMatch(/contact-has-tickets$/);
      expect(response.body.detail).toMatch(/requester/);
      expect((await t.http.get(`/v1/contacts/${created.body.id}`).set(t.auth(t.main.key))).status).toBe(200);
      expect((await eventsOf(created.body.id)).map((event) => event.type)).toEqual(['contact.created']);
    });

    it('filters by email case-insensitively, by externalId and by name or email prefix', async () => {
      const ana = await create(t.main.key, { name: 'Filter Ana', email: 'filter.ana@example.com', externalId: 'filter-1' });
      const bob = await create(t.main.key, { name: 'Filter Bob', email: 'bob.filter@example.com' });
      const ids = (response: { body: { data: Array<{ id: string }> } }) => response.body.data.map((contact) => contact.id);

      expect(ids(await t.http.get('/v1/contacts').query({ email: 'FILTER.ANA@example.com' }).set(t.auth(t.main.key)))).toEqual([ana.body.id]);
      expect(ids(await t.http.get('/v1/contacts').query({ externalId: 'filter-1' }).set(t.auth(t.main.key)))).toEqual([ana.body.id]);
      expect(ids(await t.http.get('/v1/contacts').query({ q: 'filter' }).set(t.auth(t.main.key)))).toEqual(newestFirst([ana.body, bob.body]));
      expect(ids(await t.http.get('/v1/contacts').query({ q: 'bob.f' }).set(t.auth(t.main.key)))).toEqual([bob.body.id]);
      // LIKE wildcards in q are matched literally.
      expect(ids(await t.http.get('/v1/contacts').query({ q: '%' }).set(t.auth(t.main.key)))).toEqual([]);
      expect((await t.http.get('/v1/contacts').query({ sort: 'name' }).set(t.auth(t.main.key))).status).toBe(422);
    });

    it('pages newest first with cursors, without duplicates or gaps', async () => {
      const pager = await t.newWorkspace();
      const created: Array<{ id: string; createdAt: string }> = [];
      for (let i = 0; i < 7; i++) created.push((await create(pager.key, { name: `Page ${i}` })).body);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response: { status: number; body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t.http
          .get('/v1/contacts')
          .query({ limit: 3, ...(cursor ? { cursor } : {}) })
          .set(t.auth(pager.key));
        expect(response.status).toBe(200);
        seen.push(...response.body.data.map((contact) => contact.id));
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(newestFirst(created));

      expect((await t.http.get('/v1/contacts').query({ limit: 101 }).set(t.auth(pager.key))).status).toBe(422);
      expect((await t.http.get('/v1/contacts').query({ cursor: 'garbage' }).set(t.auth(pager.key))).status).toBe(400);
    });
  });

  describe('workspace isolation', () => {
    it('answers 404 for another workspace\'s contact on every endpoint and never lists it', async () => {
      const mine = await create(t.main.key, { name: 'Private', email: 'private@example.com' });
      const id = mine.body.id;

      expect((await t.http.get(`/v1/contacts/${id}`).set(t.auth(other.key))).status).toBe(404);
      const patch = await t.http.patch(`/v1/contacts/${id}`).set(t.auth(other.key)).send({ name: 'Hijacked' });
      expect(patch.status).toBe(404);
      expect(patch.headers['content-type']).toMatch(/problem\+json/);
      expect((await t.http.delete(`/v1/contacts/${id}`).set(t.auth(other.key))).status).toBe(404);

      const listed = await t.http.get('/v1/contacts').query({ limit: 100 }).set(t.auth(other.key));
      expect(listed.body.data.map((contact: { id: string }) => contact.id)).not.toContain(id);
      expect((await t.http.get('/v1/contacts').query({ email: 'private@example.com' }).set(t.auth(other.key))).body.data).toEqual([]);

      const gql = await graphql(other.key, 'query($id: ID!) { contact(id: $id) { id } }', { id });
      expect(gql.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });

      // Untouched, and the same email is free to use in the other workspace.
      expect((await t.http.get(`/v1/contacts/${id}`).set(t.auth(t.main.key))).body.name).toBe('Private');
      expect((await create(other.key, { email: 'private@example.com' })).status).toBe(201);
    });
  });

  describe('GraphQL', () => {
    const fields = 'id name email phone externalId metadata createdAt updatedAt';

    it('creates, lists as a connection, reads, updates and deletes contacts', async () => {
      const workspace = await t.newWorkspace();
      const created = await graphql(workspace.key, `mutation($input: CreateContactInput!) { createContact(input: $input) { ${fields} } }`, {
        input: { name: 'Graph Ql', email: 'Graph@Example.com', metadata: { tier: 'gold' } },
      });
      expect(created.body.errors).toBeUndefined();
      const contact = created.body.data.createContact;
      expect(contact).toMatchObject({ name: 'Graph Ql', email: 'graph@example.com', phone: null, metadata: { tier: 'gold' } });
      const second = (await graphql(workspace.key, `mutation { createContact(input: {externalId: "g-2"}) { id createdAt } }`)).body.data.createContact;
      const [newest, oldest] = newestFirst([contact, second]);

      const first = await graphql(workspace.key, '{ contacts(first: 1) { edges { cursor node { id email } } pageInfo { hasNextPage endCursor } } }');
      expect(first.body.data.contacts.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([newest]);
      expect(first.body.data.contacts.pageInfo).toEqual({ hasNextPage: true, endCursor: first.body.data.contacts.edges[0].cursor });
      const rest = await graphql(workspace.key, 'query($after: String) { contacts(first: 5, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }', {
        after: first.body.data.contacts.pageInfo.endCursor,
      });
      expect(rest.body.data.contacts.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([oldest]);
      expect(rest.body.data.contacts.pageInfo.hasNextPage).toBe(false);

      const fetched = await graphql(workspace.key, `query($id: ID!) { contact(id: $id) { ${fields} } }`, { id: contact.id });
      expect(fetched.body.data.contact).toEqual(contact);

      const updated = await graphql(workspace.key, 'mutation($id: ID!) { updateContact(id: $id, input: {phone: "42", metadata: null}) { phone metadata name } }', { id: contact.id });
      expect(updated.body.data.updateContact).toEqual({ phone: '42', metadata: {}, name: 'Graph Ql' });

      const deleted = await graphql(workspace.key, 'mutation($id: ID!) { deleteContact(id: $id) }', { id: contact.id });
      expect(deleted.body.data.deleteContact).toBe(contact.id);
      expect((await t.http.get(`/v1/contacts/${contact.id}`).set(t.auth(workspace.key))).status).toBe(404);
      expect((await eventsOf(contact.id)).map((event) => event.type)).toEqual(['contact.created', 'contact.updated', 'contact.deleted']);
    });

    it('reports validation and conflict errors with the same codes and fields as REST', async () => {
      const invalid = await graphql(t.main.key, 'mutation { createContact(input: {email: "nope"}) { id } }');
      expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
      expect(invalid.body.errors[0].extensions.errors.map((error: { field: string }) => error.field)).toContain('email');

      await create(t.main.key, { email: 'gql-dup@example.com' });
      const duplicate = await graphql(t.main.key, 'mutation { createContact(input: {email: "GQL-DUP@example.com"}) { id } }');
      expect(duplicate.body.errors[0].extensions).toMatchObject({ status: 409, field: 'email' });

      const badId = await graphql(t.main.key, '{ contact(id: "123") { id } }');
      expect(badId.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
    });
  });

  describe('ContactsService for other modules', () => {
    const service = () => t.app.get(ContactsService);

    it('finds or creates a requester by email; concurrent calls for one new email share one contact', async () => {
      const principal = systemPrincipal(t.main.id);
      const results = await Promise.all(Array.from({ length: 6 }, () => service().findOrCreateRequester(principal, { email: 'Rush@Example.com', name: 'Rush' })));
      const ids = new Set(results.map((contact) => contact.id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      expect(results[0]).toMatchObject({ email: 'rush@example.com', name: 'Rush' });
      expect((await eventsOf(id)).map((event) => event.type)).toEqual(['contact.created']);

      const again = await service().findOrCreateRequester(principal, { email: 'RUSH@example.com', name: 'Other name' });
      expect(again).toMatchObject({ id, name: 'Rush' });
      expect(await service().findOrCreateRequester(principal, { id })).toMatchObject({ id, email: 'rush@example.com' });
    });

    it('refuses a requester id of another workspace as an invalid requester.id', async () => {
      const foreign = (await create(other.key, { name: 'Foreign' })).body.id;
      const attempt = service().findOrCreateRequester(systemPrincipal(t.main.id), { id: foreign });
      await expect(attempt).rejects.toBeInstanceOf(ValidationFailed);
      await expect(attempt).rejects.toMatchObject({ errors: [{ field: 'requester.id', message: expect.any(String) }] });
    });

    it('joins the caller\'s transaction: a rolled-back caller leaves neither the contact nor its event', async () => {
      const principal = systemPrincipal(t.main.id);
      let createdId = '';
      const work = t.app.get(TransactionRunner).run(async () => {
        createdId = (await service().findOrCreateRequester(principal, { email: 'rolled-back@example.com' })).id;
        throw new Error('caller failed after creating the requester');
      });
      await expect(work).rejects.toThrow('caller failed');
      expect(createdId).not.toBe('');
      expect(await db.query('SELECT id FROM contacts WHERE id = $1', [createdId])).toEqual([]);
      expect(await eventsOf(createdId)).toEqual([]);
    });

    it('finds by ids within the workspace only', async () => {
      const mine = (await create(t.main.key, { name: 'Batch mine' })).body.id;
      const theirs = (await create(other.key, { name: 'Batch theirs' })).body.id;
      const found = await service().findByIds(systemPrincipal(t.main.id), [mine, theirs]);
      expect([...found.keys()]).toEqual([mine]);
      await expect(service().get(systemPrincipal(t.main.id), theirs)).rejects.toMatchObject({ status: 404 });
    });
  });
});
