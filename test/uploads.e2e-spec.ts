import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { UploadsService } from '../src/channels/uploads/uploads.service';
import { eventually } from './support/eventually';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

const MiB = 1024 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-not-really-an-image')]);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300 * 1024, 7)]);

/** A real SMTP peer on loopback that records what it was sent. */
async function startSmtp() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, port: (server.server.address() as AddressInfo).port };
}

describe('uploads and attachments on outgoing messages', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: { Authorization: string };
  let ana: { Authorization: string };
  let ben: { Authorization: string };
  let other: TestWorkspace;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  const upload = (auth: Record<string, string>, files: Array<[Buffer, string, string?]>, path = '/v1/uploads') => {
    let call = t.http.post(path).set(auth);
    for (const [content, filename, contentType] of files) call = call.attach('file', content, { filename, contentType: contentType ?? 'application/octet-stream' });
    return call;
  };
  const uploadIds = async (auth: Record<string, string>, files: Array<[Buffer, string, string?]>, path?: string): Promise<string[]> => {
    const response = await upload(auth, files, path);
    expect(response.status).toBe(201);
    return response.body.data.map((file: { id: string }) => file.id);
  };
  const newTicket = async (auth = admin, extra: Record<string, unknown> = {}) =>
    (await t.http.post('/v1/tickets').set(auth).send({ subject: 'Broken printer', requester: { email: 'jo@example.com' }, message: { body: 'It broke' }, ...extra }).expect(201)).body;
  const graphql = (auth: Record<string, string>, query: string, variables: Record<string, unknown> = {}) =>
    t.http.post('/graphql').set(auth).send({ query, variables });
  const counts = async () => (await db.query(`SELECT (SELECT count(*) FROM uploads)::int AS uploads, (SELECT count(*) FROM upload_chunks)::int AS chunks`))[0];

  beforeAll(async () => {
    [t, smtp] = await Promise.all([startTestApp({ UPLOAD_EXPIRY_INTERVAL_MS: '0' }), startSmtp()]);
    db = t.app.get(DataSource);
    admin = t.auth(t.main.key);
    const agentKey = async (name: string) => {
      const agent = await t.http.post('/v1/agents').set(admin).send({ name, email: `${name.toLowerCase()}@example.com`, role: 'agent' }).expect(201);
      return t.auth((await t.http.post('/v1/api-keys').set(admin).send({ name: `${name} key`, role: 'agent', agentId: agent.body.id }).expect(201)).body.key);
    };
    [ana, ben] = [await agentKey('Ana'), await agentKey('Ben')];
    other = await t.newWorkspace();
  });

  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  });

  it('stores each file streamed and answers id, filename, size, the type sniffed from its bytes and expiresAt', async () => {
    const response = await upload(ana, [[PNG, 'photo.txt', 'text/plain'], [HTML, 'page.png', 'image/png']]);
    expect(response.status).toBe(201);
    expect(response.body.data).toEqual([
      { id: expect.any(String), filename: 'photo.txt', size: PNG.length, contentType: 'image/png', expiresAt: expect.any(String) },
      { id: expect.any(String), filename: 'page.png', size: HTML.length, contentType: 'text/html', expiresAt: expect.any(String) },
    ]);
    const expires = new Date(response.body.data[0].expiresAt).getTime();
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const [row] = await db.query(`SELECT uploader_type, storage, size_bytes::int AS size FROM uploads WHERE id = $1`, [response.body.data[0].id]);
    expect(row).toEqual({ uploader_type: 'agent', storage: 'database', size: PNG.length });
  });

  it('refuses a body that is not multipart, a request without files and more files than a message may carry', async () => {
    const json = await t.http.post('/v1/uploads').set(ana).send({ file: 'x' });
    expect(json.status).toBe(415);
    expect(json.headers['content-type']).toMatch(/problem\+json/);
    const none = await t.http.post('/v1/uploads').set(ana).field('note', 'no file here');
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'files' })]);
    const before = await counts();
    const eleven = await upload(ana, Array.from({ length: 11 }, (_, index): [Buffer, string] => [Buffer.from(`file ${index}`), `f${index}.txt`]));
    expect(eleven.status).toBe(413);
    expect(eleven.body).toMatchObject({ type: 'https://deskline.dev/problems/upload-limit-exceeded', limit: 'UPLOAD_MAX_FILES_PER_MESSAGE', limitValue: 10 });
    expect(await counts()).toEqual(before);
    await t.http.post('/v1/uploads').attach('file', PNG, 'x.png').expect(401);
  });

  it('refuses a 25 MB file at the 20 MB limit while it streams in, without waiting for the rest or keeping any of it', async () => {
    const before = await counts();
    const boundary = 'deskline-upload-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const total = 25 * MiB;
    const piece = Buffer.alloc(64 * 1024, 0x41);
    let sent = 0;
    let answeredAt: number | null = null;
    let peakChunkRows = 0;
    // The body is produced as the socket takes it; past the limit it slows down, so a server that waited for the
    // whole body before answering would keep the client writing for seconds.
    const body = Readable.from((async function* () {
      yield head;
      while (sent < total) {
        if (sent > 21 * MiB) await new Promise((resolve) => setTimeout(resolve, 25));
        sent += piece.length;
        yield piece;
      }
      yield tail;
    })());
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const polling = setInterval(() => {
      void db.query(`SELECT count(*)::int AS n FROM upload_chunks`).then(([row]) => (peakChunkRows = Math.max(peakChunkRows, row.n - before.chunks)), () => undefined);
    }, 20);
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request({
        port, host: '127.0.0.1', method: 'POST', path: '/v1/uploads',
        headers: { ...ana, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      }, (res) => {
        answeredAt = sent;
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      request.on('error', (error) => (answeredAt === null ? reject(error) : undefined));
      body.pipe(request);
    });
    clearInterval(polling);
    body.destroy();
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'https://deskline.dev/problems/upload-limit-exceeded', limit: 'UPLOAD_MAX_FILE_BYTES', limitValue: 20 * MiB });
    // Answered at the limit, with the rest of the 25 MB still unsent.
    expect(answeredAt).not.toBeNull();
    expect(answeredAt!).toBeLessThan(total);
    // The bytes went to storage chunk by chunk as they arrived (256 KiB each), never more than the limit's worth.
    expect(peakChunkRows).toBeGreaterThan(0);
    expect(peakChunkRows).toBeLessThanOrEqual(80);
    await eventually(async () => {
      const after = await counts();
      return after.uploads === before.uploads && after.chunks === before.chunks ? after : null;
    }, 'the refused upload to be removed');
  });

  it('attaches uploads to a new ticket and a reply, shown on the message in REST and GraphQL, downloaded as stored', async () => {
    const [png, html] = await uploadIds(admin, [[PNG, 'photo.png'], [HTML, 'page.html', 'text/html']]);
    const ticket = await newTicket(admin, { message: { body: 'See the photo', attachments: [png] } });
    const [first] = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin).expect(200)).body.data;
    expect(first.attachments).toEqual([{ id: expect.any(String), fileName: 'photo.png', contentType: 'image/png', size: PNG.length, inline: false }]);

    const reply = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Here is the page', attachments: [html] });
    expect(reply.status).toBe(201);
    expect(reply.body.attachments).toEqual([expect.objectContaining({ fileName: 'page.html', contentType: 'text/html', size: HTML.length })]);
    const [pdf] = await uploadIds(admin, [[PDF, 'manual.pdf']]);
    const gql = await graphql(admin, `mutation($id: ID!, $input: AddMessageInput!) { addMessage(ticketId: $id, input: $input) { id attachments { id fileName contentType size } } }`, {
      id: ticket.id, input: { body: 'And the manual', visibility: 'internal', attachments: [pdf] },
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.addMessage.attachments).toEqual([{ id: expect.any(String), fileName: 'manual.pdf', contentType: 'application/pdf', size: PDF.length }]);
    const read = await graphql(admin, `query($id: ID!) { ticket(id: $id) { messages { attachments { fileName size } } } }`, { id: ticket.id });
    expect(read.body.data.ticket.messages.map((m: { attachments: unknown[] }) => m.attachments)).toEqual([
      [{ fileName: 'photo.png', size: PNG.length }], [{ fileName: 'page.html', size: HTML.length }], [{ fileName: 'manual.pdf', size: PDF.length }],
    ]);

    const download = (messageId: string, attachmentId: string, auth = admin) =>
      t.http.get(`/v1/tickets/${ticket.id}/messages/${messageId}/attachments/${attachmentId}`).set(auth).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const image = await download(first.id, first.attachments[0].id).expect(200);
    expect(Buffer.compare(image.body, PNG)).toBe(0);
    expect(image.headers['content-type']).toBe('image/png');
    const page = await download(reply.body.id, reply.body.attachments[0].id).expect(200);
    expect(Buffer.compare(page.body, HTML)).toBe(0);
    expect(page.headers['content-disposition']).toMatch(/^attachment; filename="page.html"/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toContain('sandbox');
    const manual = await download(gql.body.data.addMessage.id, gql.body.data.addMessage.attachments[0].id).expect(200);
    expect(Buffer.compare(manual.body, PDF)).toBe(0);
    // Workspace-scoped: another workspace's key finds nothing.
    await download(first.id, first.attachments[0].id, t.auth(other.key)).expect(404);
    // Referenced uploads no longer expire.
    expect((await db.query(`SELECT count(*)::int AS n FROM uploads WHERE id = ANY($1) AND expires_at IS NULL`, [[png, html, pdf]]))[0].n).toBe(3);
  });

  it('answers 422 naming the field for another agent\'s upload or another workspace\'s, and writes nothing', async () => {
    const [anas] = await uploadIds(ana, [[PNG, 'ana.png']]);
    const [foreign] = await uploadIds(t.auth(other.key), [[PNG, 'other.png']]);
    const ticket = await newTicket();
    const reply = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ben).send({ body: 'Not mine', attachments: [anas] });
    expect(reply.status).toBe(422);
    expect(reply.body.errors).toEqual([{ field: 'attachments', message: expect.stringContaining(anas) }]);
    const created = await t.http.post('/v1/tickets').set(ana).send({ subject: 'x', requester: { email: 'jo@example.com' }, message: { body: 'y', attachments: [foreign] } });
    expect(created.status).toBe(422);
    expect(created.body.errors).toEqual([{ field: 'message.attachments', message: expect.any(String) }]);
    const gql = await graphql(ben, `mutation($id: ID!, $input: AddMessageInput!) { addMessage(ticketId: $id, input: $input) { id } }`, { id: ticket.id, input: { body: 'x', attachments: [anas] } });
    expect(gql.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(gql.body.errors[0].extensions)).toContain('attachments');
    expect((await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data).toHaveLength(1);
    // The uploader herself may; the same file twice in one message may not.
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ana).send({ body: 'Twice', attachments: [anas, anas] }).expect(422);
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ana).send({ body: 'Mine', attachments: [anas] }).expect(201);
    const invalid = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ana).send({ body: 'Bad', attachments: ['nope'] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].field).toMatch(/^attachments/);
  });

  it('refuses more files on one message than UPLOAD_MAX_FILES_PER_MESSAGE, naming the limit', async () => {
    const files = (n: number) => Array.from({ length: n }, (_, index): [Buffer, string] => [Buffer.from(`note ${index}`), `n${index}.txt`]);
    const ids = [...(await uploadIds(ana, files(10))), ...(await uploadIds(ana, files(1)))];
    const ticket = await newTicket();
    const reply = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ana).send({ body: 'Too many', attachments: ids });
    expect(reply.status).toBe(422);
    expect(reply.body.errors[0]).toEqual({ field: 'attachments', message: expect.stringContaining('UPLOAD_MAX_FILES_PER_MESSAGE') });
  });

  it('sends an email reply with its attachments, names and bytes intact', async () => {
    await t.http.post('/v1/mailboxes').set(admin).send({
      address: 'support@acme.test', name: 'Acme Support',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'support@acme.test', password: 'smtp-secret' },
    }).expect(201);
    const raw = Buffer.from('From: Jo <jo@example.com>\r\nTo: support@acme.test\r\nSubject: Invoice missing\r\nMessage-ID: <uploads-1@example.com>\r\n\r\nWhere is my invoice?\r\n');
    const inbound = await t.http.post('/v1/channels/email/inbound').set(admin).set('Content-Type', 'message/rfc822').send(raw).expect(201);
    const [pdf, png] = await uploadIds(admin, [[PDF, 'invoice.pdf'], [PNG, 'Grüße.png']]);
    const reply = await t.http.post(`/v1/tickets/${inbound.body.ticketId}/messages`).set(admin).send({ body: 'Attached.', attachments: [pdf, png] }).expect(201);
    await eventually(async () => {
      const messages = (await t.http.get(`/v1/tickets/${inbound.body.ticketId}/messages`).set(admin)).body.data;
      return messages.find((m: { id: string; delivery: { state: string } | null }) => m.id === reply.body.id && m.delivery?.state === 'sent');
    }, 'the reply to be sent');
    const mail = smtp.received.at(-1)!;
    expect(mail.text?.trim()).toBe('Attached.');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([['invoice.pdf', 'application/pdf', PDF.length], ['Grüße.png', 'image/png', PNG.length]]);
    expect(Buffer.compare(mail.attachments[0].content, PDF)).toBe(0);
    expect(Buffer.compare(mail.attachments[1].content, PNG)).toBe(0);
  });

  it('lets a portal requester attach their own uploads to a new request and a reply, and no one else\'s', async () => {
    const contact = (await t.http.post('/v1/contacts').set(admin).send({ email: 'rita@example.com', name: 'Rita' }).expect(201)).body.id;
    const token = (await t.http.post('/v1/portal/tokens').set(admin).send({ contactId: contact }).expect(201)).body.token;
    const portal = { Authorization: `Bearer ${token}` };
    const [shot] = await uploadIds(portal, [[PNG, 'screenshot.png']], '/v1/portal/uploads');
    expect((await db.query(`SELECT uploader_type, uploader_id FROM uploads WHERE id = $1`, [shot]))[0]).toEqual({ uploader_type: 'contact', uploader_id: contact });
    const created = await t.http.post('/v1/portal/tickets').set(portal).send({ subject: 'Screen is blank', message: { body: 'See screenshot', attachments: [shot] } });
    expect(created.status).toBe(201);
    const [log] = await uploadIds(portal, [[Buffer.from('error log line'), 'log.txt']], '/v1/portal/uploads');
    const replied = await t.http.post(`/v1/portal/tickets/${created.body.id}/messages`).set(portal).send({ body: 'And the log', attachments: [log] });
    expect(replied.status).toBe(201);
    expect(replied.body.message.attachments).toEqual([expect.objectContaining({ fileName: 'log.txt', contentType: 'text/plain' })]);
    const listed = (await t.http.get(`/v1/portal/tickets/${created.body.id}/messages`).set(portal).expect(200)).body.data;
    expect(listed.map((m: { attachments: Array<{ fileName: string }> }) => m.attachments.map((a) => a.fileName))).toEqual([['screenshot.png'], ['log.txt']]);
    const file = await t.http.get(`/v1/portal/tickets/${created.body.id}/messages/${listed[1].id}/attachments/${listed[1].attachments[0].id}`).set(portal).expect(200);
    expect(file.text).toBe('error log line');
    // The agents see the requester's files too.
    const agentView = (await t.http.get(`/v1/tickets/${created.body.id}/messages`).set(admin).expect(200)).body.data;
    expect(agentView[0].attachments[0]).toMatchObject({ fileName: 'screenshot.png', contentType: 'image/png' });
    // An agent's upload is not the requester's to attach, and the requester's is not the agent's.
    const [agents] = await uploadIds(ana, [[PNG, 'agent.png']]);
    const refused = await t.http.post(`/v1/portal/tickets/${created.body.id}/messages`).set(portal).send({ body: 'x', attachments: [agents] });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('attachments');
    const [again] = await uploadIds(portal, [[PNG, 'again.png']], '/v1/portal/uploads');
    await t.http.post(`/v1/tickets/${created.body.id}/messages`).set(ana).send({ body: 'x', attachments: [again] }).expect(422);
  });

  it('sends a macro\'s attachments with every add_reply it applies, for any agent, and keeps them', async () => {
    const [guide] = await uploadIds(admin, [[PDF, 'reset-guide.pdf']]);
    const [anas] = await uploadIds(ana, [[PNG, 'ana.png']]);
    const refused = await t.http.post('/v1/macros').set(admin).send({ name: 'Not mine', actions: [{ type: 'add_reply', body: 'x', attachments: [anas] }] });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ field: 'actions[0].attachments', message: expect.stringContaining(anas) }]);
    const onStatus = await t.http.post('/v1/macros').set(admin).send({ name: 'Wrong action', actions: [{ type: 'set_status', status: 'pending', attachments: [guide] }] });
    expect(onStatus.status).toBe(422);
    expect(onStatus.body.errors[0].field).toBe('actions[0].attachments');
    const macro = (await t.http.post('/v1/macros').set(admin).send({
      name: 'Send the reset guide', actions: [{ type: 'add_reply', body: 'Hi {{requester.name}}, the guide is attached.', attachments: [guide] }, { type: 'set_status', status: 'pending' }],
    }).expect(201)).body;
    expect(macro.actions[0].attachments).toEqual([guide]);
    expect((await db.query(`SELECT expires_at FROM uploads WHERE id = $1`, [guide]))[0].expires_at).toBeNull();
    for (const auth of [ana, ben]) {
      const ticket = await newTicket();
      await t.http.post(`/v1/tickets/${ticket.id}/macros/${macro.id}/apply`).set(auth).expect(200);
      const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin).expect(200)).body.data;
      expect(messages[1].attachments).toEqual([expect.objectContaining({ fileName: 'reset-guide.pdf', contentType: 'application/pdf', size: PDF.length })]);
    }
  });

  it('removes uploads no message referenced once they expire, and keeps referenced ones', async () => {
    const [kept, dropped] = await uploadIds(ana, [[PNG, 'kept.png'], [PDF, 'dropped.pdf']]);
    const ticket = await newTicket();
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ana).send({ body: 'Keep', attachments: [kept] }).expect(201);
    const service = t.app.get(UploadsService);
    const early = await db.query(`SELECT id, expires_at, completed_at FROM uploads WHERE expires_at < $1`, [new Date(Date.now() + 3600_000)]);
    expect(early).toEqual([]);
    expect(await service.removeExpired(new Date(Date.now() + 3600_000))).toBe(0);
    const removed = await service.removeExpired(new Date(Date.now() + 25 * 3600_000));
    expect(removed).toBeGreaterThanOrEqual(1);
    const left = await db.query(`SELECT id FROM uploads WHERE id = ANY($1)`, [[kept, dropped]]);
    expect(left).toEqual([{ id: kept }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM upload_chunks WHERE upload_id = $1`, [dropped]))[0].n).toBe(0);
    // A removed upload cannot be attached any more.
    const reply = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(ana).send({ body: 'Late', attachments: [dropped] });
    expect(reply.status).toBe(422);
  });
});

describe('uploads on disk (UPLOAD_STORAGE=disk)', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('writes the file under DATA_DIR and streams it back', async () => {
    t = await startTestApp({ UPLOAD_STORAGE: 'disk', UPLOAD_EXPIRY_INTERVAL_MS: '0' });
    const admin = t.auth(t.main.key);
    const uploaded = await t.http.post('/v1/uploads').set(admin).attach('file', PDF, 'disk.pdf').expect(201);
    const id = uploaded.body.data[0].id;
    const db = t.app.get(DataSource);
    expect((await db.query(`SELECT storage FROM uploads WHERE id = $1`, [id]))[0].storage).toBe('disk');
    expect((await db.query(`SELECT count(*)::int AS n FROM upload_chunks WHERE upload_id = $1`, [id]))[0].n).toBe(0);
    const ticket = (await t.http.post('/v1/tickets').set(admin).send({ subject: 's', requester: { email: 'd@example.com' }, message: { body: 'b', attachments: [id] } }).expect(201)).body;
    const [message] = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
    const file = await t.http.get(`/v1/tickets/${ticket.id}/messages/${message.id}/attachments/${message.attachments[0].id}`).set(admin)
      .buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
    expect(Buffer.compare(file.body, PDF)).toBe(0);
  });
});
