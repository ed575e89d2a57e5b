import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { eventually } from './support/eventually';
import { baseUrlOf, SseClient } from './support/sse-client';
import { startTestApp, TestApp } from './support/test-app';

/** A real SMTP peer on loopback that records what it was sent (as the email channel tests use). */
async function startSmtp() {
  const received: Array<{ mail: ParsedMail; envelopeTo: string[] }> = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            received.push({ mail, envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address) });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, port: (server.server.address() as AddressInfo).port };
}

const addresses = (field: ParsedMail['to']) => (field ? (Array.isArray(field) ? field : [field]).flatMap((group) => group.value.map((value) => value.address)) : []);

describe('ticket merge, followers and CCs', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let db: DataSource;

  const gql = (query: string, variables: Record<string, unknown>, auth = admin) => t.http.post('/graphql').set(auth).send({ query, variables });
  const createTicket = async (requester: string, subject = 'Help', auth = admin) =>
    (await t.http.post('/v1/tickets').set(auth).send({ subject, message: { body: `${subject} body` }, requester: { email: requester } }).expect(201)).body;
  const messages = async (ticketId: string) => (await t.http.get(`/v1/tickets/${ticketId}/messages?limit=100`).set(admin).expect(200)).body.data;
  const events = async (ticketId: string) => (await t.http.get(`/v1/tickets/${ticketId}/events?limit=100`).set(admin).expect(200)).body.data;
  const newAgent = async (name: string) => {
    const agent = await t.http.post('/v1/agents').set(admin).send({ name, email: `${name.toLowerCase()}-${Date.now()}@example.com`, role: 'agent', availability: 'online' }).expect(201);
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: `${name} key`, role: 'agent', agentId: agent.body.id }).expect(201);
    return { id: agent.body.id as string, auth: t.auth(key.body.key) };
  };
  const portalToken = async (contactId: string) => ({ Authorization: `Bearer ${(await t.http.post('/v1/portal/tokens').set(admin).send({ contactId }).expect(201)).body.token}` });
  const inbound = (raw: string) => t.http.post('/v1/channels/email/inbound').set(admin).set('Content-Type', 'message/rfc822').send(Buffer.from(raw));

  beforeAll(async () => {
    [t, smtp] = await Promise.all([startTestApp(), startSmtp()]);
    admin = t.auth(t.main.key);
    db = t.app.get(DataSource);
    await t.http.post('/v1/mailboxes').set(admin).send({
      address: 'help@merge.test',
      name: 'Merge Support',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'help@merge.test', password: 'smtp-secret' },
    }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  });

  describe('merge', () => {
    it('closes each source with mergedIntoId and a note, copies their messages and requesters to the target, in one event', async () => {
      const target = await createTicket('ann@example.com', 'Target');
      const first = await createTicket('bob@example.com', 'First duplicate');
      const second = await createTicket('cid@example.com', 'Second duplicate');
      await t.http.post(`/v1/tickets/${first.id}/messages`).set(admin).send({ body: 'Agent answer on first' }).expect(201);

      const merged = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [first.id, second.id], comment: 'Same printer' });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({ id: target.id, status: target.status, mergedIntoId: null, version: target.version + 1 });
      expect(merged.body.ccs.map((cc: { email: string }) => cc.email)).toEqual(['bob@example.com', 'cid@example.com']);

      for (const source of [first, second]) {
        const after = (await t.http.get(`/v1/tickets/${source.id}`).set(admin).expect(200)).body;
        expect(after).toMatchObject({ status: 'closed', mergedIntoId: target.id });
        const note = (await messages(source.id)).at(-1);
        expect(note).toMatchObject({ visibility: 'internal', body: expect.stringContaining(`Merged into ticket #${target.number} (${target.id})`) });
        expect(note.body).toContain('Same printer');
      }

      const copied = await messages(target.id);
      expect(copied.map((message: { body: string }) => message.body)).toEqual([
        'Target body', 'First duplicate body', 'Second duplicate body', 'Agent answer on first', expect.stringContaining(`Merged tickets #${first.number}, #${second.number} into this ticket.`),
      ]);
      expect(copied.map((message: { sequence: number }) => message.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(copied[1]).toMatchObject({ mergedFrom: { ticketId: first.id, number: first.number }, author: { type: 'contact' }, visibility: 'public' });
      expect(copied[2].mergedFrom).toEqual({ ticketId: second.id, number: second.number });
      const originals = await messages(first.id);
      expect(copied[1].createdAt).toBe(originals[0].createdAt);
      expect(copied[3].createdAt).toBe(originals[1].createdAt);
      expect(copied[0].mergedFrom).toBeNull();

      const history = await events(target.id);
      const mergedEvent = history.find((event: { type: string }) => event.type === 'ticket.merged');
      expect(mergedEvent.data).toEqual({ sources: [{ id: first.id, number: first.number }, { id: second.id, number: second.number }], comment: 'Same printer' });
      const outbox = await db.query(`SELECT type FROM outbox_events WHERE workspace_id = $1 AND subject_id = $2`, [t.main.id, target.id]);
      expect(outbox.map((row: { type: string }) => row.type)).toContain('ticket.merged');
      const sourceHistory = (await events(first.id)).map((event: { type: string }) => event.type);
      expect(sourceHistory).toEqual(expect.arrayContaining(['ticket.status_changed', 'ticket.message_created']));
    });

    it('refuses a closed target, self-merge, repeats, unknown and already merged sources, writing nothing', async () => {
      const target = await createTicket('dan@example.com');
      const source = await createTicket('eve@example.com');
      const self = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [target.id] });
      expect(self.status).toBe(422);
      expect(self.body.errors[0].field).toBe('sourceIds');
      const invalid = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [], comment: '', extra: 1 });
      expect(invalid.status).toBe(422);
      expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['sourceIds', 'comment', 'extra']));
      const tooMany = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: Array.from({ length: 21 }, () => source.id) });
      expect(tooMany.status).toBe(422);
      const repeated = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [source.id, source.id] });
      expect(repeated.status).toBe(422);
      const unknown = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [source.id, '00000000-0000-4000-8000-000000000000'] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('sourceIds');
      expect((await t.http.get(`/v1/tickets/${source.id}`).set(admin)).body).toMatchObject({ status: source.status, mergedIntoId: null });
      expect(await messages(target.id)).toHaveLength(1);

      const closed = await createTicket('fay@example.com');
      await t.http.patch(`/v1/tickets/${closed.id}`).set(admin).send({ status: 'closed' }).expect(200);
      const intoClosed = await t.http.post(`/v1/tickets/${closed.id}/merge`).set(admin).send({ sourceIds: [source.id] });
      expect(intoClosed.status).toBe(409);
      expect(intoClosed.body.type).toMatch(/ticket-closed/);
      const closedSource = await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [closed.id] });
      expect(closedSource.status).toBe(409);

      await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [source.id] }).expect(200);
      const other = await createTicket('gus@example.com');
      const again = await t.http.post(`/v1/tickets/${other.id}/merge`).set(admin).send({ sourceIds: [source.id] });
      expect(again.status).toBe(409);
    });

    it('answers another workspace 404 for the target and 422 for sources it cannot see', async () => {
      const other = await t.newWorkspace();
      const mine = await createTicket('hal@example.com');
      const source = await createTicket('ivy@example.com');
      const theirs = (await t.http.post('/v1/tickets').set(t.auth(other.key)).send({ subject: 'Theirs', message: { body: 'x' }, requester: { email: 'x@example.com' } }).expect(201)).body;
      expect((await t.http.post(`/v1/tickets/${mine.id}/merge`).set(t.auth(other.key)).send({ sourceIds: [theirs.id] })).status).toBe(404);
      const cross = await t.http.post(`/v1/tickets/${theirs.id}/merge`).set(t.auth(other.key)).send({ sourceIds: [source.id] });
      expect(cross.status).toBe(422);
      expect(cross.body.errors[0].field).toBe('sourceIds');
      expect((await t.http.get(`/v1/tickets/${source.id}`).set(admin)).body.status).not.toBe('closed');
    });

    it('replays a merge by its Idempotency-Key without merging twice', async () => {
      const target = await createTicket('jo@example.com');
      const source = await createTicket('kim@example.com');
      const send = () => t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).set('Idempotency-Key', `merge-${target.id}`).send({ sourceIds: [source.id] });
      const first = await send();
      expect(first.status).toBe(200);
      const replay = await send();
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect((await events(target.id)).filter((event: { type: string }) => event.type === 'ticket.merged')).toHaveLength(1);
      expect(await messages(target.id)).toHaveLength(3);
    });

    it('merges through GraphQL', async () => {
      const target = await createTicket('lea@example.com');
      const source = await createTicket('max@example.com');
      const response = await gql('mutation($t: ID!, $input: MergeTicketsInput!) { mergeTickets(targetId: $t, input: $input) { id mergedIntoId ccs { email } } }', { t: target.id, input: { sourceIds: [source.id] } });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.mergeTickets).toEqual({ id: target.id, mergedIntoId: null, ccs: [{ email: 'max@example.com' }] });
      const read = await gql('query($id: ID!) { ticket(id: $id) { status mergedIntoId messages { body mergedFrom { number } } } }', { id: source.id });
      expect(read.body.data.ticket).toMatchObject({ status: 'closed', mergedIntoId: target.id });
      const self = await gql('mutation($t: ID!, $input: MergeTicketsInput!) { mergeTickets(targetId: $t, input: $input) { id } }', { t: target.id, input: { sourceIds: [target.id] } });
      expect(self.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|VALIDATION/);
    });

    it('threads an email reply sent to a source ticket into the target', async () => {
      const original = await inbound('From: Nia <nia@example.com>\r\nTo: help@merge.test\r\nSubject: Printer jam\r\nMessage-ID: <nia-1@example.com>\r\n\r\nIt jams.\r\n').expect(201);
      const source = original.body.ticketId;
      const sourceNumber = (await t.http.get(`/v1/tickets/${source}`).set(admin)).body.number;
      const target = await createTicket('ops@example.com', 'Printer jams everywhere');
      await t.http.post(`/v1/tickets/${target.id}/merge`).set(admin).send({ sourceIds: [source] }).expect(200);

      const byHeader = await inbound(`From: Nia <nia@example.com>\r\nTo: help@merge.test\r\nSubject: Re: Printer jam\r\nMessage-ID: <nia-2@example.com>\r\nIn-Reply-To: <nia-1@example.com>\r\nReferences: <nia-1@example.com>\r\n\r\nStill jammed.\r\n`);
      expect(byHeader.status).toBe(201);
      expect(byHeader.body).toMatchObject({ outcome: 'appended', ticketId: target.id });
      const last = (await messages(target.id)).at(-1);
      expect(last).toMatchObject({ body: 'Still jammed.', author: { type: 'contact', name: 'Nia' }, mergedFrom: null });

      const byToken = await inbound(`From: nia@example.com\r\nTo: help@merge.test\r\nSubject: Re: Printer jam [#${sourceNumber}]\r\nMessage-ID: <nia-3@example.com>\r\n\r\nAnd again.\r\n`);
      expect(byToken.body).toMatchObject({ outcome: 'appended', ticketId: target.id });
      expect((await t.http.get(`/v1/tickets/${source}`).set(admin)).body.status).toBe('closed');
    });
  });

  describe('followers', () => {
    it('lets an agent follow and unfollow as themselves, an admin anyone, and names followers in every ticket event', async () => {
      const ana = await newAgent('Ana');
      const bo = await newAgent('Bo');
      const ticket = await createTicket('pat@example.com');
      const followed = await t.http.put(`/v1/tickets/${ticket.id}/followers/${ana.id}`).set(ana.auth).expect(200);
      expect(followed.body.followers).toEqual([{ id: ana.id, name: 'Ana' }]);
      expect(followed.body.version).toBe(ticket.version + 1);
      // Following twice changes nothing.
      const again = await t.http.put(`/v1/tickets/${ticket.id}/followers/${ana.id}`).set(ana.auth).expect(200);
      expect(again.body.version).toBe(followed.body.version);
      expect((await t.http.put(`/v1/tickets/${ticket.id}/followers/${bo.id}`).set(ana.auth)).status).toBe(403);
      expect((await t.http.delete(`/v1/tickets/${ticket.id}/followers/${ana.id}`).set(bo.auth)).status).toBe(403);
      await t.http.put(`/v1/tickets/${ticket.id}/followers/${bo.id}`).set(admin).expect(200);
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.followers.map((f: { name: string }) => f.name)).toEqual(['Ana', 'Bo']);
      expect((await t.http.put(`/v1/tickets/${ticket.id}/followers/00000000-0000-4000-8000-000000000000`).set(admin)).status).toBe(404);

      // Any later event carries the followers in its ticket.
      await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ priority: 'high' }).expect(200);
      const [row] = await db.query(`SELECT payload FROM outbox_events WHERE workspace_id = $1 AND subject_id = $2 AND type = 'ticket.updated' ORDER BY sequence DESC LIMIT 1`, [t.main.id, ticket.id]);
      const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      expect(JSON.stringify(payload)).toContain(ana.id);
      expect(JSON.stringify(payload)).toContain(bo.id);

      const history = await events(ticket.id);
      const followerEvent = history.find((event: { type: string; changes: Record<string, unknown> }) => event.type === 'ticket.updated' && event.changes.followers);
      expect(followerEvent.changes.followers).toEqual({ before: [], after: [ana.id] });

      const left = await t.http.delete(`/v1/tickets/${ticket.id}/followers/${ana.id}`).set(ana.auth).expect(200);
      expect(left.body.followers).toEqual([{ id: bo.id, name: 'Bo' }]);
      await t.http.delete(`/v1/tickets/${ticket.id}/followers/${bo.id}`).set(admin).expect(200);

      const other = await t.newWorkspace();
      expect((await t.http.put(`/v1/tickets/${ticket.id}/followers/${ana.id}`).set(t.auth(other.key))).status).toBe(404);
      expect((await t.http.delete(`/v1/tickets/${ticket.id}/followers/${ana.id}`).set(t.auth(other.key))).status).toBe(404);
    });

    it('follows through GraphQL', async () => {
      const cy = await newAgent('Cy');
      const ticket = await createTicket('quinn@example.com');
      const followed = await gql('mutation($t: ID!, $a: ID!) { followTicket(ticketId: $t, agentId: $a) { followers { id name } } }', { t: ticket.id, a: cy.id }, cy.auth);
      expect(followed.body.data.followTicket.followers).toEqual([{ id: cy.id, name: 'Cy' }]);
      const unfollowed = await gql('mutation($t: ID!, $a: ID!) { unfollowTicket(ticketId: $t, agentId: $a) { followers { id } } }', { t: ticket.id, a: cy.id }, cy.auth);
      expect(unfollowed.body.data.unfollowTicket.followers).toEqual([]);
      const forbidden = await gql('mutation($t: ID!, $a: ID!) { followTicket(ticketId: $t, agentId: $a) { id } }', { t: ticket.id, a: cy.id }, (await newAgent('Di')).auth);
      expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });

  describe('CCs', () => {
    it('adds CCs by contact id and by email, refuses the requester and other workspaces, and records history', async () => {
      const ticket = await createTicket('ray@example.com');
      const contact = (await t.http.post('/v1/contacts').set(admin).send({ email: 'sue@example.com', name: 'Sue' }).expect(201)).body;
      const added = await t.http.put(`/v1/tickets/${ticket.id}/ccs/${contact.id}`).set(admin).expect(200);
      expect(added.body.ccs).toEqual([{ id: contact.id, name: 'Sue', email: 'sue@example.com' }]);
      const byEmail = await t.http.post(`/v1/tickets/${ticket.id}/ccs`).set(admin).send({ email: 'Tom@Example.com', name: 'Tom' });
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.ccs.map((cc: { email: string }) => cc.email)).toEqual(['sue@example.com', 'tom@example.com']);
      const invalid = await t.http.post(`/v1/tickets/${ticket.id}/ccs`).set(admin).send({ email: 'nope', extra: 1 });
      expect(invalid.status).toBe(422);
      expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['email', 'extra']));
      const requester = await t.http.put(`/v1/tickets/${ticket.id}/ccs/${ticket.requester.id}`).set(admin);
      expect(requester.status).toBe(422);
      expect(requester.body.errors[0].field).toBe('contactId');
      expect((await t.http.put(`/v1/tickets/${ticket.id}/ccs/00000000-0000-4000-8000-000000000000`).set(admin)).status).toBe(404);
      const history = (await events(ticket.id)).filter((event: { changes: Record<string, unknown> }) => event.changes.ccs);
      expect(history.map((event: { changes: { ccs: { after: string[] } } }) => event.changes.ccs.after.length)).toEqual([1, 2]);

      const other = await t.newWorkspace();
      expect((await t.http.put(`/v1/tickets/${ticket.id}/ccs/${contact.id}`).set(t.auth(other.key))).status).toBe(404);
      const theirs = (await t.http.post('/v1/tickets').set(t.auth(other.key)).send({ subject: 'Theirs', message: { body: 'x' }, requester: { email: 'x@example.com' } }).expect(201)).body;
      expect((await t.http.put(`/v1/tickets/${theirs.id}/ccs/${contact.id}`).set(t.auth(other.key))).status).toBe(404);

      const removed = await t.http.delete(`/v1/tickets/${ticket.id}/ccs/${contact.id}`).set(admin).expect(200);
      expect(removed.body.ccs.map((cc: { email: string }) => cc.email)).toEqual(['tom@example.com']);
      const retried = await t.http.post(`/v1/tickets/${ticket.id}/ccs`).set(admin).set('Idempotency-Key', `cc-${ticket.id}`).send({ email: 'uma@example.com' }).expect(200);
      const replayed = await t.http.post(`/v1/tickets/${ticket.id}/ccs`).set(admin).set('Idempotency-Key', `cc-${ticket.id}`).send({ email: 'uma@example.com' }).expect(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body.version).toBe(retried.body.version);
    });

    it('manages CCs through GraphQL', async () => {
      const ticket = await createTicket('val@example.com');
      const byEmail = await gql('mutation($t: ID!, $input: AddCcByEmailInput!) { addTicketCcByEmail(ticketId: $t, input: $input) { ccs { id email } } }', { t: ticket.id, input: { email: 'wes@example.com' } });
      const [cc] = byEmail.body.data.addTicketCcByEmail.ccs;
      expect(cc.email).toBe('wes@example.com');
      const removed = await gql('mutation($t: ID!, $c: ID!) { removeTicketCc(ticketId: $t, contactId: $c) { ccs { id } } }', { t: ticket.id, c: cc.id });
      expect(removed.body.data.removeTicketCc.ccs).toEqual([]);
      const added = await gql('mutation($t: ID!, $c: ID!) { addTicketCc(ticketId: $t, contactId: $c) { ccs { email } } }', { t: ticket.id, c: cc.id });
      expect(added.body.data.addTicketCc.ccs).toEqual([{ email: 'wes@example.com' }]);
      const settings = await gql('query { emailSettings { inboundCcEnabled } }', {});
      expect(settings.body.data.emailSettings).toEqual({ inboundCcEnabled: true });
      const off = await gql('mutation { updateEmailSettings(input: { inboundCcEnabled: false }) { inboundCcEnabled } }', {});
      expect(off.body.data.updateEmailSettings).toEqual({ inboundCcEnabled: false });
      await gql('mutation { updateEmailSettings(input: { inboundCcEnabled: true }) { inboundCcEnabled } }', {});
    });

    it('sends public replies To the requester with the CCs on Cc, turns inbound Cc addresses into CCs, and lets a CC see and answer in the portal', async () => {
      const created = await inbound('From: Xan <xan@example.com>\r\nTo: help@merge.test\r\nCc: Yul <yul@example.com>, help@merge.test\r\nSubject: Broken badge\r\nMessage-ID: <xan-1@example.com>\r\n\r\nMy badge is broken.\r\n').expect(201);
      const ticketId = created.body.ticketId;
      const ticket = (await t.http.get(`/v1/tickets/${ticketId}`).set(admin)).body;
      // Our own mailbox on the Cc line never becomes a CC.
      expect(ticket.ccs.map((cc: { email: string }) => cc.email)).toEqual(['yul@example.com']);
      const yul = ticket.ccs[0].id;

      const reply = await t.http.post(`/v1/tickets/${ticketId}/messages`).set(admin).send({ body: 'A new badge is on its way.' }).expect(201);
      await eventually(async () => (await messages(ticketId)).find((m: { id: string; delivery: { state: string } | null }) => m.id === reply.body.id && m.delivery?.state === 'sent'), 'the reply to be sent');
      const sent = smtp.received.find((entry) => entry.mail.subject?.includes(`[#${ticket.number}]`));
      expect(sent).toBeDefined();
      expect(addresses(sent!.mail.to)).toEqual(['xan@example.com']);
      expect(addresses(sent!.mail.cc)).toEqual(['yul@example.com']);
      expect(sent!.envelopeTo.sort()).toEqual(['xan@example.com', 'yul@example.com']);

      const token = await portalToken(yul);
      const listed = (await t.http.get('/v1/portal/tickets').set(token).expect(200)).body.data.map((row: { id: string }) => row.id);
      expect(listed).toContain(ticketId);
      expect((await t.http.get(`/v1/portal/tickets/${ticketId}`).set(token).expect(200)).body.subject).toBe('Broken badge');
      const portalMessages = (await t.http.get(`/v1/portal/tickets/${ticketId}/messages`).set(token).expect(200)).body.data;
      expect(portalMessages.map((m: { body: string }) => m.body)).toContain('A new badge is on its way.');
      const answered = await t.http.post(`/v1/portal/tickets/${ticketId}/messages`).set(token).send({ body: 'Thanks from Yul' });
      expect(answered.status).toBe(201);
      expect((await messages(ticketId)).at(-1)).toMatchObject({ body: 'Thanks from Yul', author: { type: 'contact', id: yul, name: 'Yul' } });

      // A CC answering by email continues the ticket, recorded as them.
      const byMail = await inbound(`From: Yul <yul@example.com>\r\nTo: help@merge.test\r\nSubject: Re: Broken badge [#${ticket.number}]\r\nMessage-ID: <yul-2@example.com>\r\n\r\nStill waiting.\r\n`);
      expect(byMail.body).toMatchObject({ outcome: 'appended', ticketId });
      expect((await messages(ticketId)).at(-1)).toMatchObject({ body: 'Still waiting.', author: { type: 'contact', id: yul } });

      // Once removed, the CC no longer sees the ticket.
      await t.http.delete(`/v1/tickets/${ticketId}/ccs/${yul}`).set(admin).expect(200);
      expect((await t.http.get(`/v1/portal/tickets/${ticketId}`).set(token)).status).toBe(404);
      expect((await t.http.get('/v1/portal/tickets').set(token).expect(200)).body.data.map((row: { id: string }) => row.id)).not.toContain(ticketId);
    });

    it('streams a CC the public changes of the tickets they are copied on, live and from the stored feed', async () => {
      const ticket = await createTicket('bea@example.com', 'Streamed');
      const contact = (await t.http.post('/v1/contacts').set(admin).send({ email: 'cal@example.com', name: 'Cal' }).expect(201)).body;
      const token = (await portalToken(contact.id)).Authorization.slice('Bearer '.length);
      await t.http.put(`/v1/tickets/${ticket.id}/ccs/${contact.id}`).set(admin).expect(200);
      await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Before the stream' }).expect(201);
      const stream = await SseClient.open(`${baseUrlOf(t.app.getHttpServer())}/v1/portal/events/stream?access_token=${encodeURIComponent(token)}&after=0`, {});
      try {
        expect(stream.status).toBe(200);
        await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Live for the CC' }).expect(201);
        await stream.waitFor((events) => events.some((event) => event.data.data.message?.body === 'Live for the CC'), 'the live reply');
        const bodies = stream.events.map((event) => event.data.data.message?.body).filter(Boolean);
        expect(bodies).toEqual(expect.arrayContaining(['Before the stream', 'Live for the CC']));
        expect(stream.events.every((event) => event.data.data.ticket.id === ticket.id)).toBe(true);
      } finally {
        stream.close();
      }
    });

    it('leaves inbound Cc addresses alone when the workspace turned it off', async () => {
      await t.http.patch('/v1/channels/email/settings').set(admin).send({ inboundCcEnabled: false }).expect(200);
      expect((await t.http.patch('/v1/channels/email/settings').set(admin).send({ inboundCcEnabled: 'yes' })).status).toBe(422);
      const created = await inbound('From: zed@example.com\r\nTo: help@merge.test\r\nCc: amy@example.com\r\nSubject: No copies\r\nMessage-ID: <zed-1@example.com>\r\n\r\nHi\r\n').expect(201);
      expect((await t.http.get(`/v1/tickets/${created.body.ticketId}`).set(admin)).body.ccs).toEqual([]);
      expect((await t.http.get('/v1/channels/email/settings').set(admin).expect(200)).body).toEqual({ inboundCcEnabled: false });
      await t.http.patch('/v1/channels/email/settings').set(admin).send({ inboundCcEnabled: true }).expect(200);
    });
  });
});
