import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

const unique = () => randomBytes(4).toString('hex');

function inboundEmail(from: string): string {
  const id = unique();
  return Buffer.from([
    `From: Kim Customer <${from}>`, 'To: support@acme.test', `Subject: Invoice ${id}`, 'Date: Tue, 3 Mar 2026 09:00:00 +0000',
    `Message-ID: <${id}@mail.example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/plain', '', 'Where is my invoice?', '',
  ].join('\r\n')).toString('base64');
}

describe('organizations', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let agent: { Authorization: string };
  let other: TestWorkspace;
  let db: DataSource;

  const graphql = (key: { Authorization: string }, query: string, variables: Record<string, unknown> = {}) => t.http.post('/graphql').set(key).send({ query, variables });
  const createOrganization = async (body: Record<string, unknown>) => {
    const response = await t.http.post('/v1/organizations').set(admin).send(body);
    expect(response.status).toBe(201);
    return response.body as { id: string; name: string; domains: string[] };
  };
  const outbox = async (type: string, subjectId: string) =>
    db.query('SELECT payload FROM outbox_events WHERE type = $1 AND subject_id = $2 ORDER BY created_at', [type, subjectId]);

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    agent = t.auth((await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent', role: 'agent' }).expect(201)).body.key);
    other = await t.newWorkspace();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('CRUD', () => {
    it('creates, reads, lists, updates and deletes an organization, with events', async () => {
      const name = `Acme ${unique()}`;
      const created = await t.http.post('/v1/organizations').set(admin).send({
        name, domains: [`Acme-${name.slice(5)}.example`, `acme-${name.slice(5)}.example`, `shop.acme-${name.slice(5)}.example`],
        externalId: `crm-${unique()}`, notes: 'Key account', tags: ['VIP', 'vip', 'emea'], customFields: { tier: 'gold', seats: 40 },
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(created.body).toMatchObject({
        name, notes: 'Key account', tags: ['vip', 'emea'], customFields: { tier: 'gold', seats: 40 },
        domains: [`acme-${name.slice(5)}.example`, `shop.acme-${name.slice(5)}.example`],
      });

      expect((await t.http.get(`/v1/organizations/${id}`).set(agent).expect(200)).body).toEqual(created.body);
      const listed = await t.http.get('/v1/organizations').query({ domain: `ACME-${name.slice(5)}.example` }).set(agent).expect(200);
      expect(listed.body.data.map((organization: { id: string }) => organization.id)).toEqual([id]);
      const byPrefix = await t.http.get('/v1/organizations').query({ q: name.toLowerCase() }).set(agent).expect(200);
      expect(byPrefix.body.data.map((organization: { id: string }) => organization.id)).toEqual([id]);

      const updated = await t.http.patch(`/v1/organizations/${id}`).set(admin).send({ notes: null, domains: [`acme-${name.slice(5)}.example`], tags: ['apac'] });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ notes: null, domains: [`acme-${name.slice(5)}.example`], tags: ['apac'], customFields: { tier: 'gold', seats: 40 } });
      const [event] = await outbox('organization.updated', id);
      expect(Object.keys(event.payload.data.changes).sort()).toEqual(['domains', 'notes', 'tags']);

      // The freed domain can go to another organization.
      await createOrganization({ name: `Shop ${unique()}`, domains: [`shop.acme-${name.slice(5)}.example`] });

      await t.http.delete(`/v1/organizations/${id}`).set(admin).expect(204);
      await t.http.get(`/v1/organizations/${id}`).set(admin).expect(404);
      expect(await outbox('organization.created', id)).toHaveLength(1);
      const [deleted] = await outbox('organization.deleted', id);
      expect(deleted.payload.data).toMatchObject({ organization: { id, name }, detachedContacts: 0 });
    });

    it('keeps name, externalId and every domain unique in the workspace, naming the field', async () => {
      const first = await createOrganization({ name: `Unique ${unique()}`, externalId: `ext-${unique()}`, domains: [`u-${unique()}.example`] });
      const again = (body: Record<string, unknown>) => t.http.post('/v1/organizations').set(admin).send({ name: `Other ${unique()}`, ...body });
      const byName = await again({ name: first.name.toUpperCase() });
      expect([byName.status, byName.body.field]).toEqual([409, 'name']);
      const stored = (await t.http.get(`/v1/organizations/${first.id}`).set(admin)).body;
      const byExternalId = await again({ externalId: stored.externalId });
      expect([byExternalId.status, byExternalId.body.field]).toEqual([409, 'externalId']);
      const byDomain = await again({ domains: [`fresh-${unique()}.example`, first.domains[0].toUpperCase()] });
      expect([byDomain.status, byDomain.body.field]).toEqual([409, 'domains']);
      expect(byDomain.body.detail).toContain(first.domains[0]);
      const second = await createOrganization({ name: `Second ${unique()}` });
      const patched = await t.http.patch(`/v1/organizations/${second.id}`).set(admin).send({ domains: first.domains });
      expect([patched.status, patched.body.field]).toEqual([409, 'domains']);

      // Another workspace has its own names and domains.
      const elsewhere = await t.http.post('/v1/organizations').set(t.auth(other.key)).send({ name: first.name, domains: first.domains });
      expect(elsewhere.status).toBe(201);
    });

    it('validates input with 422 naming the field', async () => {
      const invalid = await t.http.post('/v1/organizations').set(admin).send({ name: '', domains: ['not a domain'], tags: 'x', customFields: [1], extra: true });
      expect(invalid.status).toBe(422);
      const fields = invalid.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'domains', 'tags', 'customFields', 'extra']));
      const badPatch = await t.http.patch(`/v1/organizations/${(await createOrganization({ name: `Patch ${unique()}` })).id}`).set(admin).send({ name: null });
      expect(badPatch.status).toBe(422);
      expect(new Set(badPatch.body.errors.map((error: { field: string }) => error.field))).toEqual(new Set(['name']));
    });

    it('lets agents read but only admins write', async () => {
      const organization = await createOrganization({ name: `Roles ${unique()}` });
      await t.http.get('/v1/organizations').set(agent).expect(200);
      expect((await t.http.post('/v1/organizations').set(agent).send({ name: `Nope ${unique()}` })).status).toBe(403);
      expect((await t.http.patch(`/v1/organizations/${organization.id}`).set(agent).send({ notes: 'x' })).status).toBe(403);
      expect((await t.http.delete(`/v1/organizations/${organization.id}`).set(agent)).status).toBe(403);
      const gql = await graphql(agent, 'mutation($name: String!) { createOrganization(input: {name: $name}) { id } }', { name: `Gql nope ${unique()}` });
      expect(gql.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it('answers 404 to another workspace, and 422 for its organization as a reference', async () => {
      const organization = await createOrganization({ name: `Private ${unique()}` });
      const foreign = t.auth(other.key);
      await t.http.get(`/v1/organizations/${organization.id}`).set(foreign).expect(404);
      await t.http.patch(`/v1/organizations/${organization.id}`).set(foreign).send({ notes: 'x' }).expect(404);
      await t.http.delete(`/v1/organizations/${organization.id}`).set(foreign).expect(404);
      await t.http.get(`/v1/organizations/${organization.id}/contacts`).set(foreign).expect(404);
      const contact = await t.http.post('/v1/contacts').set(foreign).send({ name: 'Spy', organizationId: organization.id });
      expect([contact.status, contact.body.errors?.[0]?.field]).toEqual([422, 'organizationId']);
      const gql = await graphql(foreign, 'query($id: ID!) { organization(id: $id) { id } }', { id: organization.id });
      expect(gql.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const list = await graphql(foreign, '{ organizations(first: 100) { edges { node { id } } } }');
      expect(list.body.data.organizations.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(organization.id);
    });
  });

  describe('contact membership', () => {
    it('sets, changes and clears a contact\'s organization through the contact API', async () => {
      const a = await createOrganization({ name: `Member A ${unique()}` });
      const b = await createOrganization({ name: `Member B ${unique()}` });
      const contact = await t.http.post('/v1/contacts').set(agent).send({ name: 'Lee', organizationId: a.id }).expect(201);
      expect(contact.body.organizationId).toBe(a.id);
      const moved = await t.http.patch(`/v1/contacts/${contact.body.id}`).set(agent).send({ organizationId: b.id }).expect(200);
      expect(moved.body.organizationId).toBe(b.id);
      const [event] = await outbox('contact.updated', contact.body.id);
      expect(event.payload.data.changes).toEqual({ organizationId: { before: a.id, after: b.id } });
      const members = await t.http.get(`/v1/organizations/${b.id}/contacts`).set(agent).expect(200);
      expect(members.body.data.map((member: { id: string }) => member.id)).toEqual([contact.body.id]);
      expect((await t.http.get(`/v1/organizations/${a.id}/contacts`).set(agent).expect(200)).body.data).toEqual([]);
      const cleared = await t.http.patch(`/v1/contacts/${contact.body.id}`).set(agent).send({ organizationId: null }).expect(200);
      expect(cleared.body.organizationId).toBeNull();
      const unknown = await t.http.patch(`/v1/contacts/${contact.body.id}`).set(agent).send({ organizationId: '00000000-0000-4000-8000-000000000000' });
      expect([unknown.status, unknown.body.errors[0].field]).toEqual([422, 'organizationId']);
      const filtered = await t.http.get('/v1/contacts').query({ organizationId: 'none', q: 'Lee' }).set(agent).expect(200);
      expect(filtered.body.data.map((member: { id: string }) => member.id)).toContain(contact.body.id);
    });

    it('pages an organization\'s contacts newest first', async () => {
      const organization = await createOrganization({ name: `Paged ${unique()}` });
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) ids.push((await t.http.post('/v1/contacts').set(agent).send({ name: `P${index}`, organizationId: organization.id }).expect(201)).body.id);
      const first = await t.http.get(`/v1/organizations/${organization.id}/contacts`).query({ limit: 2 }).set(agent).expect(200);
      const second = await t.http.get(`/v1/organizations/${organization.id}/contacts`).query({ limit: 2, cursor: first.body.nextCursor }).set(agent).expect(200);
      expect([...first.body.data, ...second.body.data].map((contact: { id: string }) => contact.id)).toEqual([...ids].reverse());
      expect(second.body.nextCursor).toBeNull();
    });

    it('auto-joins new contacts by email domain (API, new tickets, inbound email) and never moves existing ones', async () => {
      const domain = `joined-${unique()}.example`;
      const before = await t.http.post('/v1/contacts').set(agent).send({ email: `early@${domain}` }).expect(201);
      expect(before.body.organizationId).toBeNull();
      const organization = await createOrganization({ name: `Joined ${unique()}`, domains: [domain] });

      const viaApi = await t.http.post('/v1/contacts').set(agent).send({ email: `Pat@${domain.toUpperCase()}` }).expect(201);
      expect(viaApi.body.organizationId).toBe(organization.id);
      const optedOut = await t.http.post('/v1/contacts').set(agent).send({ email: `solo@${domain}`, organizationId: null }).expect(201);
      expect(optedOut.body.organizationId).toBeNull();

      const ticket = await t.http.post('/v1/tickets').set(agent).send({ subject: 'Hi', message: { body: 'hello' }, requester: { email: `ticket@${domain}` } }).expect(201);
      const requester = await t.http.get(`/v1/contacts/${ticket.body.requester.id}`).set(agent).expect(200);
      expect(requester.body.organizationId).toBe(organization.id);

      const email = await t.http.post('/v1/channels/email/inbound').set(admin).send({ raw: inboundEmail(`kim@${domain}`) });
      expect(email.status).toBe(201);
      const emailTicket = await t.http.get(`/v1/tickets/${email.body.ticketId}`).set(agent).expect(200);
      const mailer = await t.http.get(`/v1/contacts/${emailTicket.body.requester.id}`).set(agent).expect(200);
      expect(mailer.body).toMatchObject({ email: `kim@${domain}`, organizationId: organization.id });

      // The existing contact stayed outside; changing domains moves nobody either way.
      expect((await t.http.get(`/v1/contacts/${before.body.id}`).set(agent)).body.organizationId).toBeNull();
      await t.http.patch(`/v1/organizations/${organization.id}`).set(admin).send({ domains: [] }).expect(200);
      expect((await t.http.get(`/v1/contacts/${viaApi.body.id}`).set(agent)).body.organizationId).toBe(organization.id);
      const after = await t.http.post('/v1/contacts').set(agent).send({ email: `late@${domain}` }).expect(201);
      expect(after.body.organizationId).toBeNull();

      // Another workspace's contacts at the same domain do not join this workspace's organization.
      const foreign = await t.http.post('/v1/contacts').set(t.auth(other.key)).send({ email: `x@${domain}` }).expect(201);
      expect(foreign.body.organizationId).toBeNull();
    });
  });

  describe('delete', () => {
    it('answers 409 while contacts belong to it, and detaches them with ?detach=true', async () => {
      const organization = await createOrganization({ name: `Doomed ${unique()}` });
      const contact = await t.http.post('/v1/contacts').set(agent).send({ name: 'Member', organizationId: organization.id }).expect(201);
      const refused = await t.http.delete(`/v1/organizations/${organization.id}`).set(admin);
      expect([refused.status, refused.body.type]).toEqual([409, expect.stringContaining('organization-has-contacts')]);
      await t.http.get(`/v1/organizations/${organization.id}`).set(admin).expect(200);
      const gqlRefused = await graphql(admin, 'mutation($id: ID!) { deleteOrganization(id: $id) }', { id: organization.id });
      expect(gqlRefused.body.errors[0].extensions.code).toBe('ORGANIZATION_HAS_CONTACTS');

      await t.http.delete(`/v1/organizations/${organization.id}`).query({ detach: 'true' }).set(admin).expect(204);
      expect((await t.http.get(`/v1/contacts/${contact.body.id}`).set(agent)).body.organizationId).toBeNull();
      const [deleted] = await outbox('organization.deleted', organization.id);
      expect(deleted.payload.data.detachedContacts).toBe(1);
      const events = await outbox('contact.updated', contact.body.id);
      expect(events.at(-1).payload.data.changes).toEqual({ organizationId: { before: organization.id, after: null } });
    });
  });

  describe('tickets', () => {
    it('gives a new ticket its requester\'s organization, lets PATCH change it, and lists and filters by it', async () => {
      const domain = `tickets-${unique()}.example`;
      const organization = await createOrganization({ name: `Tickets ${unique()}`, domains: [domain] });
      const second = await createOrganization({ name: `Tickets two ${unique()}` });
      const ticket = await t.http.post('/v1/tickets').set(agent).send({ subject: 'Org ticket', message: { body: 'hi' }, requester: { email: `req@${domain}` } }).expect(201);
      expect(ticket.body.organizationId).toBe(organization.id);
      const loner = await t.http.post('/v1/tickets').set(agent).send({ subject: 'No org', message: { body: 'hi' }, requester: { email: `req@solo-${unique()}.example` } }).expect(201);
      expect(loner.body.organizationId).toBeNull();

      const listed = await t.http.get(`/v1/organizations/${organization.id}/tickets`).set(agent).expect(200);
      expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([ticket.body.id]);
      const filtered = await t.http.get('/v1/tickets').query({ organizationId: organization.id }).set(agent).expect(200);
      expect(filtered.body.data.map((row: { id: string }) => row.id)).toEqual([ticket.body.id]);
      const none = await t.http.get('/v1/tickets').query({ organizationId: 'none', limit: 100 }).set(agent).expect(200);
      expect(none.body.data.map((row: { id: string }) => row.id)).toContain(loner.body.id);
      expect(none.body.data.map((row: { id: string }) => row.id)).not.toContain(ticket.body.id);
      const invalidFilter = await t.http.get('/v1/tickets').query({ organizationId: 'acme' }).set(agent);
      expect([invalidFilter.status, invalidFilter.body.errors[0].field]).toEqual([422, 'organizationId']);

      const moved = await t.http.patch(`/v1/tickets/${ticket.body.id}`).set(agent).send({ organizationId: second.id }).expect(200);
      expect(moved.body.organizationId).toBe(second.id);
      const history = await t.http.get(`/v1/tickets/${ticket.body.id}/events`).set(agent).expect(200);
      const updated = history.body.data.find((event: { type: string }) => event.type === 'ticket.updated');
      expect(updated.changes.organizationId).toEqual({ before: organization.id, after: second.id });
      expect((await t.http.get(`/v1/organizations/${organization.id}/tickets`).set(agent).expect(200)).body.data).toEqual([]);

      const foreignOrganization = (await t.http.post('/v1/organizations').set(t.auth(other.key)).send({ name: `Foreign ${unique()}` }).expect(201)).body.id;
      const refused = await t.http.patch(`/v1/tickets/${ticket.body.id}`).set(agent).send({ organizationId: foreignOrganization });
      expect([refused.status, refused.body.errors[0].field]).toEqual([422, 'organizationId']);
      await t.http.get(`/v1/organizations/${organization.id}/tickets`).set(t.auth(other.key)).expect(404);

      // Deleting the organization leaves its tickets without one.
      await t.http.delete(`/v1/organizations/${second.id}`).set(admin).expect(204);
      expect((await t.http.get(`/v1/tickets/${ticket.body.id}`).set(agent).expect(200)).body.organizationId).toBeNull();
    });

    it('finds tickets by org: in search and in the list\'s q, by name, id or none', async () => {
      const word = `zebra${unique()}`;
      const domain = `search-${unique()}.example`;
      const organization = await createOrganization({ name: `Search Org ${unique()}`, domains: [domain] });
      const inside = await t.http.post('/v1/tickets').set(agent).send({ subject: `${word} inside`, message: { body: word }, requester: { email: `in@${domain}` } }).expect(201);
      const outside = await t.http.post('/v1/tickets').set(agent).send({ subject: `${word} outside`, message: { body: word }, requester: { email: `out@else-${unique()}.example` } }).expect(201);
      const search = (q: string) => t.http.get('/v1/search').query({ q }).set(agent).expect(200).then((response) => response.body.data.map((hit: { ticket?: { id: string }; id?: string }) => hit.ticket?.id ?? hit.id));
      expect(await search(`${word} org:"${organization.name.toUpperCase()}"`)).toEqual([inside.body.id]);
      expect(await search(`${word} org:${organization.id}`)).toEqual([inside.body.id]);
      expect(await search(`${word} org:none`)).toEqual([outside.body.id]);
      expect(await search(`${word} -org:"${organization.name}"`)).toEqual([outside.body.id]);
      const listed = await t.http.get('/v1/tickets').query({ q: `org:"${organization.name}"` }).set(agent).expect(200);
      expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([inside.body.id]);
      // Another workspace's organization of the same name matches nothing here.
      const foreign = await t.http.get('/v1/search').query({ q: `${word} org:"${organization.name}"` }).set(t.auth(other.key)).expect(200);
      expect(foreign.body.data).toEqual([]);
    });

    it('lets SLA policies, automation rules and report breakdowns use the organization', async () => {
      const domain = `rules-${unique()}.example`;
      const organization = await createOrganization({ name: `Rules Org ${unique()}`, domains: [domain] });
      const policy = await t.http.post('/v1/sla-policies').set(admin).send({
        name: `Org policy ${unique()}`, position: 0, conditions: { organizationIds: [organization.id] }, targets: { normal: { firstResponse: 60 } },
      }).expect(201);
      expect(policy.body.conditions.organizationIds).toEqual([organization.id]);
      const badPolicy = await t.http.post('/v1/sla-policies').set(admin).send({ name: `Bad ${unique()}`, conditions: { organizationIds: ['00000000-0000-4000-8000-000000000000'] }, targets: {} });
      expect([badPolicy.status, badPolicy.body.errors[0].field]).toEqual([422, 'conditions.organizationIds[0]']);
      const rule = await t.http.post('/v1/automation-rules').set(admin).send({
        name: `Org rule ${unique()}`, enabled: true, events: ['ticket.created'],
        conditions: { all: [{ field: 'organization', operator: 'is', value: organization.id }] }, actions: [{ type: 'add_tags', tags: ['key-account'] }],
      });
      expect(rule.status).toBe(201);
      const badRule = await t.http.post('/v1/automation-rules').set(admin).send({
        name: `Bad rule ${unique()}`, enabled: true, events: ['ticket.created'], conditions: { all: [{ field: 'organization', operator: 'is', value: 'acme' }] }, actions: [{ type: 'add_tags', tags: ['x'] }],
      });
      expect([badRule.status, badRule.body.errors[0].field]).toEqual([422, 'conditions.all[0].value']);

      const inside = await t.http.post('/v1/tickets').set(agent).send({ subject: 'Org SLA', message: { body: 'x' }, requester: { email: `sla@${domain}` } }).expect(201);
      expect(inside.body.sla.policyId).toBe(policy.body.id);
      expect(inside.body.tags).toContain('key-account');
      const outside = await t.http.post('/v1/tickets').set(agent).send({ subject: 'No org SLA', message: { body: 'x' }, requester: { email: `sla@other-${unique()}.example` } }).expect(201);
      expect(outside.body.sla?.policyId ?? null).not.toBe(policy.body.id);
      expect(outside.body.tags).not.toContain('key-account');
      await t.http.delete(`/v1/sla-policies/${policy.body.id}`).set(admin).expect(204);

      const report = await t.http.get('/v1/reports/breakdown').query({ by: 'organization' }).set(admin).expect(200);
      expect(report.body.by).toBe('organization');
      const row = report.body.rows.find((entry: { key: string | null }) => entry.key === organization.id);
      expect(row).toMatchObject({ label: organization.name, created: 1 });
      expect(report.body.rows.find((entry: { key: string | null }) => entry.key === null)).toMatchObject({ label: 'No organization' });
      const scoped = await t.http.get('/v1/reports/breakdown').query({ by: 'channel', organizationId: organization.id }).set(admin).expect(200);
      expect(scoped.body.rows).toEqual([expect.objectContaining({ key: 'api', created: 1 })]);
    });

    it('exposes ticket organizations in GraphQL', async () => {
      const domain = `gqlt-${unique()}.example`;
      const organization = await createOrganization({ name: `Gql tickets ${unique()}`, domains: [domain] });
      const created = await graphql(agent, 'mutation($email: String!) { createTicket(input: {subject: "Gql", message: {body: "x"}, requester: {email: $email}}) { id organizationId organization { id name } } }', { email: `a@${domain}` });
      expect(created.body.errors).toBeUndefined();
      const ticket = created.body.data.createTicket;
      expect(ticket.organization).toEqual({ id: organization.id, name: organization.name });
      const filtered = await graphql(agent, 'query($org: ID!) { tickets(filter: {organizationId: $org}) { edges { node { id } } } }', { org: organization.id });
      expect(filtered.body.data.tickets.edges).toEqual([{ node: { id: ticket.id } }]);
      const nested = await graphql(agent, 'query($id: ID!) { organization(id: $id) { tickets(first: 5) { edges { node { id } } } } }', { id: organization.id });
      expect(nested.body.data.organization.tickets.edges).toEqual([{ node: { id: ticket.id } }]);
      const cleared = await graphql(agent, 'mutation($id: ID!) { updateTicket(id: $id, input: {organizationId: null}) { organizationId organization { id } } }', { id: ticket.id });
      expect(cleared.body.data.updateTicket).toEqual({ organizationId: null, organization: null });
    });
  });

  describe('GraphQL', () => {
    it('creates, reads, updates and deletes organizations and links contacts both ways', async () => {
      const domain = `gql-${unique()}.example`;
      const created = await graphql(admin, 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name domains tags customFields } }', {
        input: { name: `Gql ${unique()}`, domains: [domain], tags: ['B2B'], customFields: { plan: 'pro' } },
      });
      expect(created.body.errors).toBeUndefined();
      const organization = created.body.data.createOrganization;
      expect(organization).toMatchObject({ domains: [domain], tags: ['b2b'], customFields: { plan: 'pro' } });

      const contact = await graphql(agent, 'mutation($email: String!) { createContact(input: {email: $email}) { id organizationId organization { id name } } }', { email: `ana@${domain}` });
      expect(contact.body.data.createContact).toMatchObject({ organizationId: organization.id, organization: { id: organization.id, name: organization.name } });

      const read = await graphql(agent, 'query($id: ID!) { organization(id: $id) { id contacts(first: 10) { edges { node { id } } } } }', { id: organization.id });
      expect(read.body.data.organization.contacts.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([contact.body.data.createContact.id]);
      const listed = await graphql(agent, 'query($domain: String!) { organizations(domain: $domain) { edges { node { id } } } }', { domain });
      expect(listed.body.data.organizations.edges).toEqual([{ node: { id: organization.id } }]);
      const members = await graphql(agent, 'query($org: ID!) { contacts(organizationId: $org) { edges { node { id } } } }', { org: organization.id });
      expect(members.body.data.contacts.edges).toHaveLength(1);

      const updated = await graphql(admin, 'mutation($id: ID!) { updateOrganization(id: $id, input: {notes: "vip"}) { notes } }', { id: organization.id });
      expect(updated.body.data.updateOrganization.notes).toBe('vip');
      const duplicate = await graphql(admin, 'mutation($domain: String!) { createOrganization(input: {name: "Dup domain", domains: [$domain]}) { id } }', { domain });
      expect(duplicate.body.errors[0].extensions).toMatchObject({ code: 'DUPLICATE', field: 'domains' });

      const deleted = await graphql(admin, 'mutation($id: ID!) { deleteOrganization(id: $id, detach: true) }', { id: organization.id });
      expect(deleted.body.data.deleteOrganization).toBe(organization.id);
    });
  });
});
