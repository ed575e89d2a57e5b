import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { eventually } from './support/eventually';
import { startServerProcess } from './support/server-process';
import { createTestDatabase, TestDatabase, testInstanceKeys } from './support/test-app';

/**
 * Three real servers (child processes, as `npm start` runs them) on one database behind a round-robin proxy: mixed
 * traffic, one instance killed with SIGKILL halfway and restarted, then the cluster-wide promises are checked on the
 * database and on what a webhook receiver saw.
 */

interface Instance {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startInstance(database: TestDatabase): Promise<Instance> {
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...testInstanceKeys(), DATABASE_URL: database.url, BOOTSTRAP_API_KEY: database.bootstrapKey, DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR,
    PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '100', WEBHOOK_TIMEOUT_MS: '5000', SLA_SCAN_INTERVAL_MS: '200', MAIL_WORKER_ENABLED: 'false', PASSWORD_SCRYPT_COST: '10', DATABASE_POOL_SIZE: '5',
  };
  const { child, url, output } = await startServerProcess(env);
  return { child, url, output };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/** Round robin over the instances' URLs; an instance that does not answer gets a 502 from the proxy, marked as such. */
class Proxy {
  private next = 0;
  proxy502 = 0;
  /** 502s where the instance accepted the connection and died before answering (requests in flight at the kill). */
  cutInFlight = 0;
  private constructor(private readonly server: Server, readonly url: string, readonly targets: string[]) {}

  static async start(targets: string[]): Promise<Proxy> {
    let proxy!: Proxy;
    const server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const target = new URL(proxy.targets[proxy.next++ % proxy.targets.length]);
        const body = Buffer.concat(chunks);
        const forward = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } }, (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        forward.on('error', (error: NodeJS.ErrnoException) => {
          proxy.proxy502++;
          if (error.code !== 'ECONNREFUSED') proxy.cutInFlight++;
          if (!response.headersSent) response.writeHead(502, { 'x-proxy-error': '1', 'content-type': 'text/plain' }).end('bad gateway');
          else response.destroy();
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new Proxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets);
    return proxy;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The webhook consumer: records every request and answers 204. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      received.push({ headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

interface Answer {
  status: number;
  body: any;
  fromProxy: boolean;
}

describe('a cluster of three instances on one database', () => {
  let database: TestDatabase;
  let sql: Client;
  let proxy: Proxy;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const instances: Instance[] = [];
  /** Every answer an instance (not the proxy) gave, to prove no 5xx. */
  const answers: { method: string; path: string; status: number }[] = [];

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, base = proxy.url): Promise<Answer> {
    const sent: Record<string, string> = { 'content-type': 'application/json', Authorization: `Bearer ${database.bootstrapKey}`, ...headers };
    for (const name of Object.keys(sent)) if (sent[name] === '') delete sent[name];
    const response = await fetch(`${base}${path}`, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const fromProxy = response.headers.get('x-proxy-error') === '1';
    if (!fromProxy) answers.push({ method, path, status: response.status });
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, fromProxy };
  }

  /** A client that retries on a proxy 502 (the instance died or is down), with the same Idempotency-Key when it has one. */
  async function retrying(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await call(method, path, body, headers);
      if (!answer.fromProxy || attempt >= 20) return answer;
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startReceiver();
    // The template is migrated already; start one first so three do not race on their first boot's bookkeeping, then two more.
    instances.push(await startInstance(database));
    instances.push(...(await Promise.all([startInstance(database), startInstance(database)])));
    proxy = await Proxy.start(instances.map((instance) => instance.url));
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 200_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => kill(instance.child)));
    await proxy?.close();
    if (receiver) {
      receiver.server.closeAllConnections();
      await new Promise((resolve) => receiver.server.close(resolve));
    }
    await sql?.end();
    await database?.drop();
  }, 60_000);

  it('keeps idempotency, webhooks, tokens and health across instances while one is killed and restarted', async () => {
    const run = randomBytes(4).toString('hex');
    // A webhook subscription created through one instance, delivered by whichever instance claims each delivery.
    const webhook = await retrying('POST', '/v1/webhooks', { url: receiver.url, events: ['ticket.created', 'agent.created', 'sla.breached'] });
    expect(webhook.status).toBe(201);
    const secret: string = webhook.body.secret;

    // An agent logs in through the proxy; its access token is used on every instance later.
    const password = 'a long enough password';
    const email = `cluster-${run}@example.com`;
    expect((await retrying('POST', '/v1/agents', { name: 'Cluster Agent', email, role: 'agent', password })).status).toBe(201);
    const login = await retrying('POST', '/v1/auth/login', { email, password, workspace: 'default' }, { Authorization: '' });
    expect(login.status).toBe(200);
    const accessToken: string = login.body.accessToken;

    /** One idempotent create (ticket plus a message on it), repeated with the same key so the repeats land on other instances. */
    const creates: { key: string; subject: string; ids: string[] }[] = [];
    async function createTicket(index: number): Promise<void> {
      const key = `cluster-${run}-${index}`;
      const subject = `Cluster ${run} #${index}`;
      const body = { subject, message: { body: 'Help' }, requester: { email: `r-${run}-${index}@example.com` } };
      const entry = { key, subject, ids: [] as string[] };
      creates.push(entry);
      // Sent twice in a row: round robin puts the second on another instance.
      for (let repeat = 0; repeat < 2; repeat++) {
        const answer = await retrying('POST', '/v1/tickets', body, { 'Idempotency-Key': key });
        expect({ key, status: answer.status }).toEqual({ key, status: 201 });
        entry.ids.push(answer.body.id);
      }
      const message = await retrying('POST', `/v1/tickets/${entry.ids[0]}/messages`, { body: `Reply ${index}` }, { 'Idempotency-Key': `${key}-m`, Authorization: `Bearer ${accessToken}` });
      expect({ key, status: message.status }).toEqual({ key, status: 201 });
      const read = await retrying('GET', `/v1/tickets/${entry.ids[0]}`, undefined, { Authorization: `Bearer ${accessToken}` });
      expect({ key, status: read.status }).toEqual({ key, status: 200 });
    }
    const wave = async (from: number, count: number) => {
      await Promise.all(Array.from({ length: count }, (_, offset) => createTicket(from + offset)));
    };

    // An SLA policy (around the clock) with a resolution target for urgent tickets, and one urgent ticket under it.
    // The instances' clocks cannot be moved from here, so the metric's due time is moved instead (to two seconds from
    // now) and the three instances' breach scanners race for it.
    const policy = await retrying('POST', '/v1/sla-policies', { name: `Cluster ${run}`, position: 0, conditions: {}, targets: { urgent: { resolution: 60 } } });
    expect(policy.status).toBe(201);
    const urgent = await retrying('POST', '/v1/tickets', { subject: `Urgent ${run}`, priority: 'urgent', message: { body: 'Down' }, requester: { email: `u-${run}@example.com` } }, { 'Idempotency-Key': `urgent-${run}` });
    expect(urgent.status).toBe(201);
    const moved = await sql.query(`UPDATE ticket_sla_metrics SET due_at = now() + interval '2 seconds' WHERE ticket_id = $1 AND metric = 'resolution' AND status = 'active'`, [urgent.body.id]);
    expect(moved.rowCount).toBe(1);
    await sql.query(`UPDATE tickets SET sla_next_due_at = now() + interval '2 seconds' WHERE id = $1`, [urgent.body.id]);

    await wave(0, 9);
    // Halfway: kill one instance with requests in flight, keep the traffic going, then restart it.
    const victim = 1;
    const inFlight = wave(9, 9);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await kill(instances[victim].child);
    await inFlight;
    await wave(18, 6);
    const restarted = await startInstance(database);
    instances[victim] = restarted;
    proxy.targets[victim] = restarted.url;
    await wave(24, 9);

    // Every idempotent create exists exactly once, and every repeat answered the same ticket.
    for (const entry of creates) expect({ key: entry.key, same: new Set(entry.ids).size }).toEqual({ key: entry.key, same: 1 });
    const counts = await sql.query(`SELECT subject, count(*)::int AS count FROM tickets WHERE subject LIKE $1 GROUP BY subject`, [`Cluster ${run} #%`]);
    expect(counts.rows).toHaveLength(creates.length);
    for (const row of counts.rows) expect(row).toEqual({ subject: row.subject, count: 1 });
    const messages = await sql.query(
      `SELECT t.subject, count(m.*)::int AS count FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id AND m.workspace_id = t.workspace_id
        WHERE t.subject LIKE $1 GROUP BY t.subject`,
      [`Cluster ${run} #%`],
    );
    // The first message from the create, and the agent's reply exactly once.
    for (const row of messages.rows) expect(row).toEqual({ subject: row.subject, count: 2 });
    expect(messages.rows).toHaveLength(creates.length);

    // The SLA breach was recorded exactly once although three scanners (one of them killed and restarted) saw it due.
    await eventually(async () => (await sql.query(`SELECT 1 FROM ticket_sla_metrics WHERE ticket_id = $1 AND status = 'breached'`, [urgent.body.id])).rowCount === 1, 'the SLA breach', 60_000);
    const breaches = await sql.query(`SELECT count(*)::int AS count FROM ticket_events WHERE ticket_id = $1 AND type = 'sla.breached'`, [urgent.body.id]);
    expect(breaches.rows[0].count).toBe(1);

    // The access token from one instance works on every instance, directly.
    for (const instance of instances) {
      const answer = await call('GET', '/v1/agents', undefined, { Authorization: `Bearer ${accessToken}` }, instance.url);
      expect({ instance: instance.url, status: answer.status }).toEqual({ instance: instance.url, status: 200 });
    }

    // Every webhook event was delivered (at least once, validly signed).
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT count(*) FILTER (WHERE status <> 'succeeded')::int AS pending, count(*)::int AS total FROM webhook_deliveries WHERE subscription_id = $1`, [webhook.body.id]);
      return rows[0].total >= creates.length + 3 && rows[0].pending === 0;
    }, 'every webhook delivery to succeed', 60_000);
    const { rows: deliveries } = await sql.query(`SELECT id, event_id, event_type, attempt_count FROM webhook_deliveries WHERE subscription_id = $1`, [webhook.body.id]);
    expect(deliveries.filter((row) => row.event_type === 'ticket.created')).toHaveLength(creates.length + 1);
    expect(deliveries.filter((row) => row.event_type === 'sla.breached')).toHaveLength(1);
    const verifier = new Webhook(secret);
    const seen = new Map<string, number>();
    for (const entry of receiver.received) {
      expect(() => verifier.verify(entry.body, entry.headers as Record<string, string>)).not.toThrow();
      const id = String(entry.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const ticketIds = new Set([...creates.map((entry) => entry.ids[0]), urgent.body.id]);
    const deliveredTickets = new Set(
      receiver.received.map((entry) => JSON.parse(entry.body)).filter((event) => event.type === 'ticket.created').map((event) => event.data.ticket.id),
    );
    expect([...deliveredTickets].sort()).toEqual([...ticketIds].sort());

    // No attempt went out twice: what the receiver saw per event equals the recorded attempts, except that the killed
    // instance may have sent an attempt whose record died with it (then the delivery was sent again: at least once).
    const { rows: attempts } = await sql.query(
      `SELECT d.event_id, count(a.*)::int AS attempts FROM webhook_deliveries d JOIN webhook_delivery_attempts a ON a.delivery_id = d.id AND a.workspace_id = d.workspace_id
        WHERE d.subscription_id = $1 GROUP BY d.event_id`,
      [webhook.body.id],
    );
    const recorded = new Map<string, number>(attempts.map((row) => [row.event_id, row.attempts]));
    let unrecorded = 0;
    for (const delivery of deliveries) {
      const received = seen.get(delivery.event_id) ?? 0;
      const count = recorded.get(delivery.event_id) ?? 0;
      expect({ event: delivery.event_id, atLeastOnce: received >= 1, notTwice: received <= count + 1 }).toEqual({ event: delivery.event_id, atLeastOnce: true, notTwice: true });
      unrecorded += received - count;
    }
    expect(unrecorded).toBeGreaterThanOrEqual(0);
    // Only deliveries in flight on the killed instance may exceed their record; it claims a small batch at a time.
    expect(unrecorded).toBeLessThanOrEqual(10);

    // No 5xx from any instance; the proxy's own 502s (the dead instance) are counted apart.
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    expect(answers.length).toBeGreaterThan(creates.length * 4);
    // The dead instance was in the rotation while down: those requests got the proxy's 502 and were retried elsewhere.
    expect(proxy.proxy502).toBeGreaterThan(0);
    console.log(`cluster: ${answers.length} answers from instances, ${proxy.proxy502} proxy 502s (${proxy.cutInFlight} cut in flight), ${receiver.received.length} webhook requests, ${unrecorded} unrecorded attempts`);
  }, 200_000);
});
