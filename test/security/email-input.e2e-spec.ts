import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { ImapPoller } from '../../src/channels/email/imap/imap-poller';
import { MailboxesRepository } from '../../src/channels/email/mailboxes/mailboxes.repository';
import { loadConfig } from '../../src/config/app-config';
import { DOVECOT_MISSING, findDovecot, startDovecot, TestDovecot } from '../support/dovecot';
import { skipBecause } from '../support/skip-because';
import { startTestApp, TestApp } from '../support/test-app';

let sequence = 0;
/** A plain email from Ana to support, with extra header lines and a body; each gets its own Message-ID. */
const email = (options: { headers?: string; body?: string; from?: string | null; contentType?: string } = {}) => {
  const from = options.from === undefined ? 'From: Ana Field <ana@example.com>\r\n' : options.from === null ? '' : `From: ${options.from}\r\n`;
  return Buffer.from(
    `${from}To: support@acme.test\r\nSubject: Input ${++sequence}\r\nMessage-ID: <input-${sequence}-${Date.now()}@example.com>\r\nMIME-Version: 1.0\r\n` +
    `${options.headers ?? ''}Content-Type: ${options.contentType ?? 'text/plain; charset=utf-8'}\r\n\r\n${options.body ?? 'Hello'}\r\n`,
  );
};
const multipart = (parts: number) => email({
  contentType: 'multipart/mixed; boundary="p"',
  body: `${Array.from({ length: parts }, (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('')}--p--`,
});
const headerLines = (count: number) => Array.from({ length: count }, (_, i) => `X-Line-${i}: v\r\n`).join('');
// The email() helper itself writes 6 header lines (From, To, Subject, Message-ID, MIME-Version, Content-Type).
const OWN_HEADER_LINES = 6;

type Problem = { status: number; type: string; detail: string; limit?: string; max?: number; errors?: Array<{ field: string }> };

describe('email input: limits, NUL bytes, senders and attachment names', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const inbound = (raw: Buffer, app = t) => app.http.post('/v1/channels/email/inbound').set(app.auth(app.main.key)).set('Content-Type', 'message/rfc822').send(raw);
  const expectLimit = (response: { status: number; headers: Record<string, string>; body: Problem }, variable: string) => {
    expect({ status: response.status, type: response.headers['content-type'], limit: response.body.limit, field: response.body.errors?.[0]?.field })
      .toEqual({ status: 413, type: expect.stringMatching(/^application\/problem\+json/), limit: variable, field: 'raw' });
    expect(response.body.detail).toContain(variable);
  };

  beforeAll(async () => {
    t = await startTestApp({ MAIL_WORKER_ENABLED: 'false' });
    admin = t.auth(t.main.key);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('refuses mail built to exhaust the parser, naming the limit (default limits)', () => {
    it('10,000 MIME parts', async () => {
      expectLimit(await inbound(multipart(10_000)), 'MAIL_MAX_PARTS');
    });

    it('a 1 MB header line', async () => {
      expectLimit(await inbound(email({ headers: `X-Huge: ${'a'.repeat(1024 * 1024)}\r\n` })), 'MAIL_MAX_HEADER_LINE_BYTES');
    });

    it('100,000 header lines', async () => {
      expectLimit(await inbound(email({ headers: headerLines(100_000) })), 'MAIL_MAX_HEADER_LINES');
    });

    it('the same through the JSON form', async () => {
      const response = await t.http.post('/v1/channels/email/inbound').set(admin).send({ raw: multipart(600).toString('base64') });
      expectLimit(response, 'MAIL_MAX_PARTS');
    });
  });

  describe('limits at their edges (configured small)', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await startTestApp({ MAIL_WORKER_ENABLED: 'false', MAIL_MAX_PARTS: '5', MAIL_MAX_HEADER_LINES: '60', MAIL_MAX_HEADER_LINE_BYTES: '1000' });
    });
    afterAll(async () => {
      await small?.close();
    });

    it('MAIL_MAX_PARTS', async () => {
      expect((await inbound(multipart(5), small)).status).toBe(201);
      expectLimit(await inbound(multipart(6), small), 'MAIL_MAX_PARTS');
    });

    it('MAIL_MAX_HEADER_LINES', async () => {
      expect((await inbound(email({ headers: headerLines(60 - OWN_HEADER_LINES) }), small)).status).toBe(201);
      expectLimit(await inbound(email({ headers: headerLines(61 - OWN_HEADER_LINES) }), small), 'MAIL_MAX_HEADER_LINES');
    });

    it('MAIL_MAX_HEADER_LINE_BYTES', async () => {
      // "X-Long: " is 8 bytes; the line ends before its CRLF.
      expect((await inbound(email({ headers: `X-Long: ${'a'.repeat(992)}\r\n` }), small)).status).toBe(201);
      expectLimit(await inbound(email({ headers: `X-Long: ${'a'.repeat(993)}\r\n` }), small), 'MAIL_MAX_HEADER_LINE_BYTES');
    });

    it('refuses invalid limits at boot, naming the variable', () => {
      const base = { DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR } as NodeJS.ProcessEnv;
      expect(() => loadConfig({ ...base, MAIL_MAX_PARTS: '0' })).toThrow(/MAIL_MAX_PARTS must be between 1 and 100000/);
      expect(() => loadConfig({ ...base, MAIL_MAX_HEADER_LINES: 'many' })).toThrow(/MAIL_MAX_HEADER_LINES must be a whole number/);
      expect(() => loadConfig({ ...base, MAIL_MAX_HEADER_LINE_BYTES: '997' })).toThrow(/MAIL_MAX_HEADER_LINE_BYTES must be between 998/);
      expect(loadConfig(base).mailSecurity).toEqual({ allowPrivateAddresses: false, maxParts: 500, maxHeaderLineBytes: 16384, maxHeaderLines: 1000 });
    });
  });

  it('strips NUL bytes from what the email says, and keeps the original as it came', async () => {
    const raw = Buffer.from(
      'From: "Ana\u0000 Field" <ana@example.com>\r\nTo: support@acme.test\r\nSubject: Printer\u0000 jam\r\nMessage-ID: <nul-1@example.com>\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIt\u0000 is jammed.\r\n' +
      '--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="log\u0000.txt"\r\n\r\nlog\r\n--b--\r\n',
    );
    const response = await inbound(raw);
    expect(response.status).toBe(201);
    const ticket = (await t.http.get(`/v1/tickets/${response.body.ticketId}`).set(admin).expect(200)).body;
    expect(ticket.subject).toBe('Printer jam');
    expect(ticket.requester).toMatchObject({ email: 'ana@example.com', name: 'Ana Field' });
    const [message] = (await t.http.get(`/v1/tickets/${response.body.ticketId}/messages`).set(admin).expect(200)).body.data;
    expect(message.body).toBe('It is jammed.');
    expect(message.attachments).toEqual([expect.objectContaining({ fileName: 'log.txt' })]);
    const original = await t.http.get(`/v1/tickets/${response.body.ticketId}/messages/${message.id}/original`).set(admin).buffer(true).parse(binary).expect(200);
    expect((original.body as Buffer).equals(raw)).toBe(true);
  });

  describe('refuses an email with no usable From, naming the header', () => {
    it.each([
      ['no From header', null],
      ['an empty group', 'undisclosed-recipients:;'],
      ['a name without an address', 'Ana Field'],
      ['an empty address', '<>'],
    ])('%s', async (_case, from) => {
      const response = await inbound(email({ from }));
      expect({ status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ status: 422, field: 'From' });
    });

    it('still suppresses machines by their headers first', async () => {
      const response = await inbound(email({ from: null, headers: 'Auto-Submitted: auto-replied\r\n' }));
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ outcome: 'suppressed', reason: 'auto_submitted' });
    });
  });

  describe('attachment names', () => {
    const NAMES: Array<[string, string, string]> = [
      // the name as sent, as stored, and the Content-Disposition served
      ['../../../../etc/passwd', '../../../../etc/passwd', `attachment; filename="passwd"; filename*=UTF-8''passwd`],
      ['..\\..\\Windows\\win.ini', '..\\..\\Windows\\win.ini', `attachment; filename="win.ini"; filename*=UTF-8''win.ini`],
      ['say "hi"\u0007.txt', 'say "hi"\u0007.txt', `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`],
      ['Résumé 履歴書.pdf', 'Résumé 履歴書.pdf', `attachment; filename="R_sum_ ___.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E5%B1%A5%E6%AD%B4%E6%9B%B8.pdf`],
    ];
    const attachmentOf = (stored: string) => message.attachments.find((attachment) => attachment.fileName === stored)!.id;
    let ticketId: string;
    let message: { id: string; attachments: Array<{ id: string; fileName: string }> };

    beforeAll(async () => {
      // RFC 2231 names, so every character (quotes, backslashes, control characters, unicode) arrives as written.
      const parts = NAMES.map(([name], i) => `--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(name)}\r\n\r\nfile ${i}\r\n`).join('');
      const raw = email({ contentType: 'multipart/mixed; boundary="b"', body: `--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n${parts}--b--` });
      const response = await inbound(raw);
      expect(response.status).toBe(201);
      ticketId = response.body.ticketId;
      [message] = (await t.http.get(`/v1/tickets/${ticketId}/messages`).set(admin).expect(200)).body.data;
    });

    it('keeps each name as it arrived', () => {
      expect(message.attachments.map((attachment) => attachment.fileName).sort()).toEqual(NAMES.map(([, stored]) => stored).sort());
    });

    it('serves agents a cleaned basename with filename and filename*', async () => {
      for (const [index, [name, stored, disposition]] of NAMES.entries()) {
        const download = await t.http.get(`/v1/tickets/${ticketId}/messages/${message.id}/attachments/${attachmentOf(stored)}`).set(admin).buffer(true).parse(binary);
        expect({ name, status: download.status, disposition: download.headers['content-disposition'] }).toEqual({ name, status: 200, disposition });
        expect((download.body as Buffer).toString()).toBe(`file ${index}`);
      }
    });

    it('serves the requester in the portal the same', async () => {
      const ticket = (await t.http.get(`/v1/tickets/${ticketId}`).set(admin).expect(200)).body;
      const token = (await t.http.post('/v1/portal/tokens').set(admin).send({ contactId: ticket.requester.id }).expect(201)).body.token;
      for (const [name, stored, disposition] of NAMES) {
        const download = await t.http.get(`/v1/portal/tickets/${ticketId}/messages/${message.id}/attachments/${attachmentOf(stored)}`)
          .set({ Authorization: `Bearer ${token}` }).buffer(true).parse(binary);
        expect({ name, status: download.status, disposition: download.headers['content-disposition'] }).toEqual({ name, status: 200, disposition });
      }
    });
  });

  const dovecot = findDovecot();
  skipBecause(dovecot ? null : DOVECOT_MISSING)('the same limits on mail read by IMAP', () => {
    let imap: TestDovecot;
    let mailboxId: string;
    let db: DataSource;
    const poll = async () => {
      const mailbox = await t.app.get(MailboxesRepository).find(db.manager, t.main.id, mailboxId);
      await t.app.get(ImapPoller).poll(mailbox!);
      return (await t.http.get(`/v1/mailboxes/${mailboxId}`).set(admin).expect(200)).body.imapState;
    };

    beforeAll(async () => {
      imap = await startDovecot();
      db = t.app.get(DataSource);
      mailboxId = (await t.http.post('/v1/mailboxes').set(admin).send({
        address: 'support@acme.test',
        name: 'Acme Support',
        imap: { host: imap.host, port: imap.port, secure: false, user: imap.user, password: imap.password },
      }).expect(201)).body.id;
    });
    afterAll(async () => {
      await imap?.stop();
    });

    it('records refused messages as rejected with the reason, and reads on past them', async () => {
      const tickets = async () => Number((await db.query('SELECT count(*) FROM tickets'))[0].count);
      const before = await tickets();
      await imap.deliver(multipart(600));
      await imap.deliver(email({ from: null }));
      await imap.deliver(email({ headers: headerLines(1200) }));
      const good = email();
      await imap.deliver(good);
      const state = await poll();
      expect(state.lastError).toMatch(/^3 message\(s\) rejected; UID \d+: raw: has more than 500 MIME parts .*MAIL_MAX_PARTS.*; UID \d+: From: names no sender address.*; UID \d+: raw: .*MAIL_MAX_HEADER_LINES/);
      expect(await tickets()).toBe(before + 1);
      // Read once: the next poll finds nothing new and no rejections.
      const again = await poll();
      expect(again).toMatchObject({ lastError: null, lastUid: state.lastUid });
      expect(await tickets()).toBe(before + 1);
    });
  });
});

function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}
