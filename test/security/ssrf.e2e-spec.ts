import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { ImapIdleSession } from '../../src/channels/email/imap/imap-idle-session';
import { ImapPoller } from '../../src/channels/email/imap/imap-poller';
import { MailServerAddresses } from '../../src/channels/email/mail-server-addresses';
import { MailboxesRepository } from '../../src/channels/email/mailboxes/mailboxes.repository';
import { isForbiddenAddress } from '../../src/common/network/forbidden-addresses';
import { loadConfig } from '../../src/config/app-config';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

/** A TCP service on loopback that greets like a mail server and counts who connects: what an attacker wants to reach. */
async function startInternalService() {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket.on('close', () => sockets.delete(socket)));
    socket.end('* OK internal-service-banner ready\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => connections, close: () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  } };
}

/**
 * A name that only the system resolver (/etc/hosts or DNS, asked through getent) turns into a loopback or private
 * address: this machine's own name in most containers and CI runners, else a loopback alias Debian's /etc/hosts has.
 * Known before the tests are collected, since it names some of them.
 */
function internalName(): string {
  for (const name of [hostname(), 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']) {
    const address = spawnSync('getent', ['hosts', name], { encoding: 'utf8' }).stdout?.trim().split(/\s+/)[0];
    if (address && isForbiddenAddress(address)) return name;
  }
  return hostname();
}
const RESOLVED_NAME = internalName();

/** Hosts the server must never connect to for a caller, in the spellings a caller might try. */
const INTERNAL_HOSTS = [
  '127.0.0.1', '127.0.0.2', 'localhost', 'LOCALHOST.', 'imap.localhost', '[::1]', '::1', '0.0.0.0', '0.1.2.3', '169.254.169.254', '10.0.0.1', '172.16.0.1',
  '192.168.1.10', '100.64.0.1', '224.0.0.1', '::ffff:127.0.0.1', '[::ffff:a9fe:a9fe]', '::ffff:10.0.0.1', 'fd00:ec2::254', 'fe80::1', 'fc00::1',
  '2130706433', '0177.0.0.1', '0x7f.1', '0x7f000001', '127.1', '2852039166', RESOLVED_NAME,
];
const PUBLIC_ADDRESS = '93.184.216.34';
const inUrl = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

describe('SSRF: webhooks and mailboxes never reach internal addresses', () => {
  let strict: TestApp;
  let service: Awaited<ReturnType<typeof startInternalService>>;
  let admin: { Authorization: string };
  let db: DataSource;

  beforeAll(async () => {
    // The resolver cases only mean something if the server's own lookup really answers an internal address.
    expect(isForbiddenAddress((await lookup(RESOLVED_NAME)).address)).toBe(true);
    [strict, service] = await Promise.all([
      startTestApp({ MAIL_ALLOW_PRIVATE: 'false', WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_ALLOW_HTTP: 'false', IMAP_IDLE_ENABLED: 'false', WEBHOOK_TIMEOUT_MS: '2000' }),
      startInternalService(),
    ]);
    admin = strict.auth(strict.main.key);
    db = strict.app.get(DataSource);
  });
  afterAll(async () => {
    await strict?.close();
    await service?.close();
  });

  describe('webhooks', () => {
    it('refuses every internal host on create, naming the url field', async () => {
      for (const host of INTERNAL_HOSTS) {
        const response = await strict.http.post('/v1/webhooks').set(admin).send({ url: `https://${inUrl(host)}/hook`, events: ['agent.created'] });
        expect({ host, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ host, status: 422, field: 'url' });
      }
    });

    it('refuses every internal host on update, keeping the URL it had', async () => {
      const created = await strict.http.post('/v1/webhooks').set(admin).send({ url: `https://${PUBLIC_ADDRESS}/hook`, events: ['agent.created'] }).expect(201);
      for (const host of INTERNAL_HOSTS) {
        const response = await strict.http.patch(`/v1/webhooks/${created.body.id}`).set(admin).send({ url: `https://${inUrl(host)}/hook` });
        expect({ host, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ host, status: 422, field: 'url' });
      }
      expect((await strict.http.get(`/v1/webhooks/${created.body.id}`).set(admin).expect(200)).body.url).toBe(`https://${PUBLIC_ADDRESS}/hook`);
      await strict.http.delete(`/v1/webhooks/${created.body.id}`).set(admin).expect(204);
    });

    it.each(['127.0.0.1', '2130706433', '0x7f.1', RESOLVED_NAME])('refuses %s at connect time, after it was saved as a public address', async (host) => {
      const created = await strict.http.post('/v1/webhooks').set(admin).send({ url: `https://${PUBLIC_ADDRESS}/hook`, events: ['agent.created'] }).expect(201);
      // As DNS rebinding (or a row saved before this policy) would: the stored endpoint now leads inside.
      await db.query('UPDATE webhook_subscriptions SET url = $2 WHERE id = $1', [created.body.id, `http://${host}:${service.port}/hook`]);
      await strict.http.post(`/v1/webhooks/${created.body.id}/test`).set(admin).expect(202);
      const attempt = await eventually(async () => {
        const [row] = await db.query(
          'SELECT a.status_code, a.error FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1',
          [created.body.id],
        );
        return row;
      }, 'the refused attempt');
      expect(attempt).toEqual({ status_code: null, error: expect.stringMatching(/^refused: /) });
      expect(service.connections()).toBe(0);
      await strict.http.delete(`/v1/webhooks/${created.body.id}`).set(admin).expect(204);
    });
  });

  describe('mailboxes', () => {
    let address = 0;
    const mailbox = (servers: Record<string, unknown>) => ({ address: `box${++address}@acme.test`, name: 'Acme Support', ...servers });
    const server = (host: string, port = 993) => ({ host, port, secure: true, user: 'support@acme.test', password: 'mailbox-secret' });

    it('refuses every internal IMAP and SMTP host on create, naming the field', async () => {
      for (const host of INTERNAL_HOSTS) {
        for (const kind of ['imap', 'smtp']) {
          const response = await strict.http.post('/v1/mailboxes').set(admin).send(mailbox({ [kind]: server(host) }));
          expect({ host, status: response.status, type: response.headers['content-type'], field: response.body.errors?.[0]?.field })
            .toEqual({ host, status: 422, type: expect.stringMatching(/^application\/problem\+json/), field: `${kind}.host` });
        }
      }
      expect(Number((await db.query('SELECT count(*) FROM mailboxes'))[0].count)).toBe(0);
      expect(service.connections()).toBe(0);
    });

    it('refuses what is not a host at all', async () => {
      for (const host of ['imap.example.com:993', 'imaps://imap.example.com', 'a b', 'user@imap.example.com']) {
        const response = await strict.http.post('/v1/mailboxes').set(admin).send(mailbox({ imap: server(host) }));
        expect({ host, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ host, status: 422, field: 'imap.host' });
      }
    });

    it('refuses every internal host on update, keeping the servers it had', async () => {
      const created = await strict.http.post('/v1/mailboxes').set(admin).send(mailbox({ imap: server(PUBLIC_ADDRESS), smtp: server(PUBLIC_ADDRESS, 465) })).expect(201);
      for (const host of INTERNAL_HOSTS) {
        for (const kind of ['imap', 'smtp']) {
          const response = await strict.http.patch(`/v1/mailboxes/${created.body.id}`).set(admin).send({ [kind]: server(host) });
          expect({ host, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ host, status: 422, field: `${kind}.host` });
        }
      }
      const got = (await strict.http.get(`/v1/mailboxes/${created.body.id}`).set(admin).expect(200)).body;
      expect([got.imap.host, got.smtp.host]).toEqual([PUBLIC_ADDRESS, PUBLIC_ADDRESS]);
      await strict.http.delete(`/v1/mailboxes/${created.body.id}`).set(admin).expect(204);
    });

    describe('at connect time', () => {
      let mailboxId: string;
      const pointAt = (kind: 'imap' | 'smtp', host: string) =>
        db.query(`UPDATE mailboxes SET ${kind}_host = $2, ${kind}_port = $3, ${kind}_secure = false WHERE id = $1`, [mailboxId, host, service.port]);
      const pollOn = async (app: TestApp) => {
        const row = await app.app.get(MailboxesRepository).find(db.manager, strict.main.id, mailboxId);
        await db.query('UPDATE mailboxes SET imap_polled_at = NULL WHERE id = $1', [mailboxId]);
        await app.app.get(ImapPoller).poll({ ...row!, imapPolledAt: null });
        return (await app.http.get(`/v1/mailboxes/${mailboxId}`).set(admin).expect(200)).body.imapState.lastError as string | null;
      };

      beforeAll(async () => {
        const created = await strict.http.post('/v1/mailboxes').set(admin).send(mailbox({ imap: server(PUBLIC_ADDRESS), smtp: server(PUBLIC_ADDRESS, 465) })).expect(201);
        mailboxId = created.body.id;
      });

      it.each(['127.0.0.1', '0x7f.1', '[::ffff:127.0.0.1]', RESOLVED_NAME])('polls no IMAP server at %s, and says nothing of what listens there', async (host) => {
        await pointAt('imap', host);
        const lastError = await pollOn(strict);
        expect(lastError).toBe('refused: the IMAP host is, or resolves to, a loopback, private, link-local or metadata address; no connection was made');
        expect(service.connections()).toBe(0);
      });

      it('does connect where private addresses are allowed, which is what the refusals above would otherwise do', async () => {
        const relaxed = await startTestApp({ MAIL_ALLOW_PRIVATE: 'true', MAIL_WORKER_ENABLED: 'false', IMAP_IDLE_ENABLED: 'false' }, { sameDatabaseAs: strict });
        try {
          await pointAt('imap', RESOLVED_NAME);
          const lastError = await pollOn(relaxed);
          expect(lastError).not.toMatch(/^refused/);
          expect(service.connections()).toBeGreaterThan(0);
        } finally {
          await relaxed.close();
        }
      });

      it('opens no IMAP IDLE connection to an internal address', async () => {
        const before = service.connections();
        const addresses = strict.app.get(MailServerAddresses);
        const refusals: string[] = [];
        const session = new ImapIdleSession(mailboxId, { host: RESOLVED_NAME, port: service.port, secure: false, user: 'u', password: 'p' }, {
          newMail: async () => undefined,
          unsupported: () => refusals.push('unsupported'),
          refused: (reason) => refusals.push(reason),
        }, (host) => addresses.connectTarget('imap', host));
        session.start();
        await eventually(async () => refusals.length > 0 || undefined, 'the session to give up');
        await session.stop();
        expect(refusals).toEqual([expect.stringMatching(/^refused: the IMAP host/)]);
        expect(service.connections()).toBe(before);
      });

      it.each(['10.0.0.1', '2130706433', RESOLVED_NAME])('sends no mail through an SMTP server at %s, failing the delivery for good', async (host) => {
        const before = service.connections();
        await pointAt('smtp', host);
        const raw = Buffer.from(`From: Ana <ana@example.com>\r\nTo: box@acme.test\r\nSubject: Printer ${host}\r\nMessage-ID: <smtp-${host}@example.com>\r\n\r\nIt is on fire.\r\n`);
        const received = await strict.http.post(`/v1/channels/email/inbound?mailboxId=${mailboxId}`).set(admin).set('Content-Type', 'message/rfc822').send(raw).expect(201);
        const reply = await strict.http.post(`/v1/tickets/${received.body.ticketId}/messages`).set(admin).send({ body: 'On our way.' }).expect(201);
        const failed = await eventually(async () => {
          const messages = (await strict.http.get(`/v1/tickets/${received.body.ticketId}/messages`).set(admin).expect(200)).body.data;
          return messages.find((message: { id: string; delivery: { state: string } | null }) => message.id === reply.body.id && message.delivery?.state === 'failed');
        }, 'the delivery to fail');
        expect(failed.delivery).toMatchObject({ attempts: 1, error: 'refused: the SMTP host is, or resolves to, a loopback, private, link-local or metadata address; no connection was made' });
        expect(service.connections()).toBe(before);
      });
    });
  });

  it('refuses an invalid MAIL_ALLOW_PRIVATE, naming the variable', () => {
    const base = { DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR } as NodeJS.ProcessEnv;
    expect(() => loadConfig({ ...base, MAIL_ALLOW_PRIVATE: 'yes' })).toThrow(/MAIL_ALLOW_PRIVATE must be true or false/);
    expect(loadConfig(base).mailSecurity.allowPrivateAddresses).toBe(false);
    expect(loadConfig({ ...base, MAIL_ALLOW_PRIVATE: 'true' }).mailSecurity.allowPrivateAddresses).toBe(true);
  });
});
