import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { ImapPoller } from '../src/channels/email/imap/imap-poller';
import { MailboxesRepository } from '../src/channels/email/mailboxes/mailboxes.repository';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

const fixture = (name: string, values: Record<string, string | number> = {}) =>
  Buffer.from(Object.entries(values).reduce((text, [key, value]) => text.split(`{{${key}}}`).join(String(value)), readFileSync(join(__dirname, 'fixtures/email', name), 'latin1')), 'latin1');

/** A real SMTP peer on loopback that records what it was sent and who logged in. */
async function startSmtp() {
  const received: Array<{ mail: ParsedMail; raw: string; user: string | undefined }> = [];
  const logins: Array<{ user: string; password: string }> = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ user: auth.username!, password: auth.password! });
      if (auth.password !== 'smtp-secret') return callback(new Error('Invalid username or password'));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('reject')) {
        const error = new Error('No such user here') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        // Answered either way: a parse failure rejects the mail instead of leaving the client waiting.
        simpleParser(raw).then(
          (mail) => {
            received.push({ mail, raw: raw.toString('utf8'), user: session.user as string | undefined });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, logins, port: (server.server.address() as AddressInfo).port };
}

describe('email channel', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let db: DataSource;
  let mailboxId: string;

  const inbound = (raw: Buffer, auth = admin) => t.http.post('/v1/channels/email/inbound').set(auth).set('Content-Type', 'message/rfc822').send(raw);
  const messages = (ticketId: string) => t.http.get(`/v1/tickets/${ticketId}/messages`).set(admin).expect(200).then((response) => response.body.data);
  const ticketCount = async () => Number((await db.query('SELECT count(*) FROM tickets'))[0].count);

  beforeAll(async () => {
    [t, smtp] = await Promise.all([startTestApp(), startSmtp()]);
    admin = t.auth(t.main.key);
    db = t.app.get(DataSource);
    const mailbox = await t.http.post('/v1/mailboxes').set(admin).send({
      address: 'Support@Acme.test',
      name: 'Acme Support',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'support@acme.test', password: 'smtp-secret' },
      imap: { host: '127.0.0.1', port: 1, secure: true, user: 'support@acme.test', password: 'imap-secret' },
    });
    expect(mailbox.status).toBe(201);
    mailboxId = mailbox.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  });

  describe('mailboxes', () => {
    it('stores credentials sealed and never returns them', async () => {
      const got = await t.http.get(`/v1/mailboxes/${mailboxId}`).set(admin).expect(200);
      expect(got.body).toMatchObject({
        address: 'support@acme.test',
        name: 'Acme Support',
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'support@acme.test', passwordSet: true },
        imap: { host: '127.0.0.1', port: 1, passwordSet: true },
      });
      expect(JSON.stringify(got.body)).not.toMatch(/secret/);
      const [row] = await db.query('SELECT * FROM mailboxes WHERE id = $1', [mailboxId]);
      expect(JSON.stringify(row)).not.toMatch(/smtp-secret|imap-secret/);
      expect(row.smtp_password_sealed).toMatch(/^v1\./);
      const list = await t.http.get('/v1/mailboxes').set(admin).expect(200);
      expect(list.body).toEqual({ data: [expect.objectContaining({ id: mailboxId })], nextCursor: null });
    });

    it('validates input naming fields, refuses duplicates, and keeps the password on a patch without one', async () => {
      const invalid = await t.http.post('/v1/mailboxes').set(admin).send({ address: 'nope', name: '', smtp: { host: 'x', port: 70000, secure: 'yes', user: 'u' }, extra: 1 });
      expect(invalid.status).toBe(422);
      const fields = invalid.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['address', 'name', 'smtp.port', 'smtp.secure', 'smtp.password', 'extra']));
      const duplicate = await t.http.post('/v1/mailboxes').set(admin).send({ address: 'support@ACME.test', name: 'Again' });
      expect(duplicate.status).toBe(409);
      // An array of valid servers is still not a server: each element would pass nested validation on its own.
      const server = { host: 'h', port: 25, secure: false, user: 'u', password: 'p1' };
      const listed = await t.http.post('/v1/mailboxes').set(admin).send({ address: 'arrays@acme.test', name: 'Arrays', imap: [server], smtp: [server] });
      expect(listed.status).toBe(422);
      expect(listed.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['imap', 'smtp']));

      const temp = await t.http.post('/v1/mailboxes').set(admin).send({ address: 'temp@acme.test', name: 'Temp', smtp: { host: 'h', port: 25, secure: false, user: 'u', password: 'p1' } }).expect(201);
      const [before] = await db.query('SELECT smtp_password_sealed FROM mailboxes WHERE id = $1', [temp.body.id]);
      const patched = await t.http.patch(`/v1/mailboxes/${temp.body.id}`).set(admin).send({ name: 'Temp 2', smtp: { host: 'h2', port: 587, secure: false, user: 'u' } }).expect(200);
      expect(patched.body).toMatchObject({ name: 'Temp 2', smtp: { host: 'h2', port: 587, passwordSet: true } });
      const [after] = await db.query('SELECT smtp_password_sealed FROM mailboxes WHERE id = $1', [temp.body.id]);
      expect(after.smtp_password_sealed).toBe(before.smtp_password_sealed);
      await t.http.delete(`/v1/mailboxes/${temp.body.id}`).set(admin).expect(204);
      await t.http.get(`/v1/mailboxes/${temp.body.id}`).set(admin).expect(404);
    });

    // A real IMAP server (Dovecot) is not part of this suite yet: this proves only the poller's bookkeeping on failure.
    it('records an IMAP poll failure on the mailbox without touching its UID cursor', async () => {
      const mailbox = await t.app.get(MailboxesRepository).find(db.manager, t.main.id, mailboxId);
      await t.app.get(ImapPoller).poll(mailbox!);
      const state = (await t.http.get(`/v1/mailboxes/${mailboxId}`).set(admin).expect(200)).body.imapState;
      expect(state).toEqual({ lastUid: null, lastPolledAt: expect.any(String), lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });
    });

    it('is invisible to other workspaces', async () => {
      const other = await t.newWorkspace();
      await t.http.get(`/v1/mailboxes/${mailboxId}`).set(t.auth(other.key)).expect(404);
      await t.http.patch(`/v1/mailboxes/${mailboxId}`).set(t.auth(other.key)).send({ name: 'Mine' }).expect(404);
      await t.http.delete(`/v1/mailboxes/${mailboxId}`).set(t.auth(other.key)).expect(404);
      expect((await t.http.get('/v1/mailboxes').set(t.auth(other.key)).expect(200)).body.data).toEqual([]);
    });
  });

  describe('inbound', () => {
    let ticketId: string;
    let ticketNumber: number;

    it('turns a multipart email into a ticket with sanitised HTML and downloadable attachments', async () => {
      const response = await inbound(fixture('multipart-with-attachment.eml'));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ outcome: 'created', ticketId: expect.any(String), messageId: expect.any(String) });
      ticketId = response.body.ticketId;
      const ticket = (await t.http.get(`/v1/tickets/${ticketId}`).set(admin).expect(200)).body;
      ticketNumber = ticket.number;
      expect(ticket).toMatchObject({ subject: 'Printer on fire', channel: 'email', status: 'new', requester: { name: 'Jo Requester', email: 'jo@example.com' } });
      const [message] = await messages(ticketId);
      expect(message.body).toContain('the printer on floor 3 is on fire');
      expect(message.html).toContain('<b>on fire</b>');
      expect(message.html).not.toMatch(/script|onerror|steal/);
      expect(message.author).toMatchObject({ type: 'contact', name: 'Jo Requester' });
      expect(message.attachments).toEqual([{ id: expect.any(String), fileName: 'report.pdf', contentType: 'application/pdf', size: 82, inline: false }]);
      const download = await t.http.get(`/v1/tickets/${ticketId}/messages/${message.id}/attachments/${message.attachments[0].id}`).set(admin)
        .buffer(true).parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); });
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toContain('report.pdf');
      expect((download.body as Buffer).toString('latin1')).toMatch(/^%PDF-1\.4/);
      expect((download.body as Buffer).length).toBe(82);
    });

    it('lists the attachments of an email in the order the email has them', async () => {
      const names = ['e.txt', 'd.txt', 'c.txt', 'b.txt', 'a.txt', 'f.txt'];
      const parts = names.map((name) => `--b\r\nContent-Type: text/plain; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\n\r\n${name}\r\n`);
      const raw = Buffer.from(
        `From: Ordered <ordered@example.com>\r\nTo: support@acme.test\r\nSubject: Six files\r\nMessage-ID: <ordered-attachments@example.com>\r\n` +
        `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n${parts.join('')}--b--\r\n`,
      );
      const response = await inbound(raw);
      expect(response.status).toBe(201);
      const [message] = await messages(response.body.ticketId);
      expect(message.attachments.map((attachment: { fileName: string }) => attachment.fileName)).toEqual(names);
    });

    it('stores the same Message-ID once, whether raw or JSON', async () => {
      const before = await ticketCount();
      const again = await inbound(fixture('multipart-with-attachment.eml'));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'duplicate', ticketId });
      const asJson = await t.http.post('/v1/channels/email/inbound').set(admin).send({ raw: fixture('multipart-with-attachment.eml').toString('base64') });
      expect(asJson.status).toBe(200);
      expect(asJson.body.outcome).toBe('duplicate');
      expect(await ticketCount()).toBe(before);
      expect(await messages(ticketId)).toHaveLength(1);
    });

    it('rejects a JSON body that is not base64, naming the field', async () => {
      const response = await t.http.post('/v1/channels/email/inbound').set(admin).send({ raw: '***', extra: true });
      expect(response.status).toBe(422);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['raw', 'extra']));
    });

    it('decodes HTML-only mail, ISO-8859-1 and Shift_JIS bodies and encoded-word subjects', async () => {
      const html = (await inbound(fixture('html-only.eml')).expect(201)).body;
      const [htmlMessage] = await messages(html.ticketId);
      expect(htmlMessage.body).toMatch(/DARK MODE|Dark mode/i);
      expect(htmlMessage.body).toContain('Please add dark mode');
      expect(htmlMessage.html).toContain('<h1>Dark mode</h1>');
      expect(htmlMessage.html).not.toMatch(/javascript:|<style/);

      const latin = (await inbound(fixture('iso-8859-1.eml')).expect(201)).body;
      const latinTicket = (await t.http.get(`/v1/tickets/${latin.ticketId}`).set(admin)).body;
      expect(latinTicket.subject).toBe('Grüße aus Köln – Rechnung');
      expect(latinTicket.requester.name).toBe('Jürgen Müller');
      expect((await messages(latin.ticketId))[0].body).toContain('Schöne Grüße, Jürgen');

      const sjis = (await inbound(fixture('shift-jis.eml')).expect(201)).body;
      const sjisTicket = (await t.http.get(`/v1/tickets/${sjis.ticketId}`).set(admin)).body;
      expect(sjisTicket.subject).toBe('請求書について');
      expect(sjisTicket.requester.name).toBe('山田太郎');
      expect((await messages(sjis.ticketId))[0].body).toBe('お世話になっております。請求書が届きません。');
    });

    it('never opens tickets for auto-replies, bounces or mail from our own mailboxes', async () => {
      const before = await ticketCount();
      const ooo = await inbound(fixture('auto-reply.eml', { NUMBER: ticketNumber }));
      expect(ooo.status).toBe(202);
      expect(ooo.body).toEqual({ outcome: 'suppressed', reason: 'auto_submitted' });
      const bounce = await inbound(fixture('bounce.eml'));
      expect(bounce.status).toBe(202);
      expect(bounce.body).toEqual({ outcome: 'suppressed', reason: 'auto_submitted' });
      const own = Buffer.from('From: Acme <support@acme.test>\r\nTo: support@acme.test\r\nSubject: Loop\r\nMessage-ID: <own-1@acme.test>\r\n\r\nLoop?\r\n');
      expect((await inbound(own)).body).toEqual({ outcome: 'suppressed', reason: 'own_address' });
      expect(await ticketCount()).toBe(before);
      expect(await messages(ticketId)).toHaveLength(1);
    });

    describe('outbound and threading', () => {
      let outboundMessageId: string;

      it('sends a public agent reply through the mailbox SMTP with threading headers and the [#n] token', async () => {
        const reply = await t.http.post(`/v1/tickets/${ticketId}/messages`).set(admin).send({ body: 'Please unplug it.', html: '<p>Please <b>unplug</b> it.</p>' });
        expect(reply.status).toBe(201);
        expect(reply.body.delivery).toMatchObject({ channel: 'email', state: expect.stringMatching(/^(queued|sent)$/) });
        const sent = await eventually(async () => (await messages(ticketId)).find((m: { id: string; delivery: { state: string } | null }) => m.id === reply.body.id && m.delivery?.state === 'sent'), 'the reply to be sent');
        expect(sent.delivery).toMatchObject({ state: 'sent', error: null, attempts: 1, sentAt: expect.any(String) });

        expect(smtp.received).toHaveLength(1);
        const { mail, user } = smtp.received[0];
        expect(user).toBe('support@acme.test');
        expect(smtp.logins.at(-1)).toEqual({ user: 'support@acme.test', password: 'smtp-secret' });
        expect(mail.subject).toBe(`Re: Printer on fire [#${ticketNumber}]`);
        expect(mail.from?.value[0]).toEqual({ address: 'support@acme.test', name: 'Acme Support' });
        expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0].address : null).toBe('jo@example.com');
        expect(mail.inReplyTo).toBe('<CAF=first-request@mail.example.com>');
        expect(mail.references).toBe('<CAF=first-request@mail.example.com>');
        expect(mail.messageId).toMatch(/^<deskline\.[0-9a-f-]+@acme\.test>$/);
        expect(mail.text?.trim()).toBe('Please unplug it.');
        expect(mail.html).toContain('<b>unplug</b>');
        outboundMessageId = mail.messageId!.slice(1, -1);
      });

      it('sends nothing for internal notes', async () => {
        const note = await t.http.post(`/v1/tickets/${ticketId}/messages`).set(admin).send({ body: 'Facilities informed', visibility: 'internal' }).expect(201);
        expect(note.body.delivery).toBeNull();
        const [{ count }] = await db.query(`SELECT count(*) FROM email_messages WHERE ticket_message_id = $1`, [note.body.id]);
        expect(Number(count)).toBe(0);
      });

      it('threads a Gmail reply by In-Reply-To to our Message-ID, strips the quote and keeps the original', async () => {
        const response = await inbound(fixture('gmail-reply.eml', { IN_REPLY_TO: outboundMessageId, NUMBER: 999999 }));
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ outcome: 'appended', ticketId });
        const last = (await messages(ticketId)).at(-1);
        expect(last.body).toBe('It is still smoking.');
        expect(last.html).toContain('It is still smoking.');
        expect(last.html).not.toContain('Please unplug it');
        const original = await t.http.get(`/v1/tickets/${ticketId}/messages/${last.id}/original`).set(admin).buffer(true).parse((res, done) => {
          const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks)));
        });
        expect(original.status).toBe(200);
        expect(original.headers['content-type']).toBe('message/rfc822');
        expect((original.body as Buffer).toString()).toContain('> Please unplug it.');
      });

      it('threads an Outlook reply without headers by its [#n] subject token and reopens a resolved ticket', async () => {
        await t.http.patch(`/v1/tickets/${ticketId}`).set(admin).send({ status: 'resolved' }).expect(200);
        const response = await inbound(fixture('outlook-reply.eml', { NUMBER: ticketNumber }));
        expect(response.body).toMatchObject({ outcome: 'appended', ticketId });
        expect((await messages(ticketId)).at(-1).body).toBe('Fire brigade came, all good now.');
        expect((await t.http.get(`/v1/tickets/${ticketId}`).set(admin)).body.status).toBe('open');
      });

      it('threads an Apple Mail reply to a closed ticket into a follow-up ticket', async () => {
        await t.http.patch(`/v1/tickets/${ticketId}`).set(admin).send({ status: 'closed' }).expect(200);
        const response = await inbound(fixture('apple-mail-reply.eml', { IN_REPLY_TO: outboundMessageId, NUMBER: ticketNumber }));
        expect(response.status).toBe(201);
        expect(response.body.ticketId).not.toBe(ticketId);
        const followUp = (await t.http.get(`/v1/tickets/${response.body.ticketId}`).set(admin)).body;
        expect(followUp).toMatchObject({ followUpOfId: ticketId, channel: 'email', requester: { email: 'jo@example.com' } });
        expect((await messages(followUp.id))[0].body).toBe('It happened again – please come.');

        // An agent answer on the follow-up still goes out through the original mailbox, threaded to the customer's mail.
        const reply = await t.http.post(`/v1/tickets/${followUp.id}/messages`).set(admin).send({ body: 'On our way.' }).expect(201);
        await eventually(async () => (await messages(followUp.id)).find((m: { id: string; delivery: { state: string } | null }) => m.id === reply.body.id && m.delivery?.state === 'sent'), 'the follow-up reply');
        const mail = smtp.received.at(-1)!.mail;
        expect(mail.inReplyTo).toBe('<F00D-apple-reply@example.com>');
        expect(mail.subject).toBe(`Re: Printer on fire [#${followUp.number}]`);
      });

      it('does not let a stranger continue someone else’s ticket by its token', async () => {
        const stranger = Buffer.from(`From: eve@example.net\r\nTo: support@acme.test\r\nSubject: Re: Printer on fire [#${ticketNumber}]\r\nMessage-ID: <eve-1@example.net>\r\n\r\nHi\r\n`);
        const response = await inbound(stranger);
        expect(response.body.outcome).toBe('created');
        expect(response.body.ticketId).not.toBe(ticketId);
      });

      it('marks a reply failed with the reason when the SMTP server refuses the recipient', async () => {
        const raw = Buffer.from('From: reject@example.com\r\nTo: support@acme.test\r\nSubject: Bounce me\r\nMessage-ID: <reject-1@example.com>\r\n\r\nHello\r\n');
        const created = (await inbound(raw).expect(201)).body;
        const reply = await t.http.post(`/v1/tickets/${created.ticketId}/messages`).set(admin).send({ body: 'Answer' }).expect(201);
        const failed = await eventually(async () => (await messages(created.ticketId)).find((m: { id: string; delivery: { state: string } | null }) => m.id === reply.body.id && m.delivery?.state === 'failed'), 'the failure');
        expect(failed.delivery.error).toMatch(/550/);
      });
    });

    it('hides attachments and originals from other workspaces', async () => {
      const [message] = await messages(ticketId);
      const other = await t.newWorkspace();
      await t.http.get(`/v1/tickets/${ticketId}/messages/${message.id}/attachments/${message.attachments[0].id}`).set(t.auth(other.key)).expect(404);
      await t.http.get(`/v1/tickets/${ticketId}/messages/${message.id}/original`).set(t.auth(other.key)).expect(404);
      const theirs = await inbound(fixture('multipart-with-attachment.eml'), t.auth(other.key));
      expect(theirs.body.outcome).toBe('created');
      expect(theirs.body.ticketId).not.toBe(ticketId);
    });
  });
});
