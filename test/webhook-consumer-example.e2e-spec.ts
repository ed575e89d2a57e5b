import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

// Issue 18: the README's consumer example must run as printed. This runs docs/examples/webhook-consumer.ts as its own
// process, the way the README says to, against a real app delivering real signed events.
describe('the webhook consumer example in docs/examples', () => {
  let t: TestApp;
  let consumer: ChildProcess | undefined;
  const printed: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_POLL_INTERVAL_MS: '100' });
  });

  afterAll(async () => {
    consumer?.kill();
    await t?.close();
  });

  async function startConsumer(port: number, secret: string): Promise<void> {
    consumer = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'docs', 'examples', 'webhook-consumer.ts')], {
      env: { ...process.env, DESKLINE_WEBHOOK_SECRET: secret, PORT: String(port), TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let partial = '';
    consumer.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      printed.push(...lines);
    });
    await eventually(() => printed.includes(`listening on ${port}`), 'the example to listen', 20_000);
  }

  it('is the code docs/webhooks.md shows', () => {
    const example = readFileSync(join(__dirname, '..', 'docs', 'examples', 'webhook-consumer.ts'), 'utf8');
    expect(readFileSync(join(__dirname, '..', 'docs', 'webhooks.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('verifies and prints the ticket.created event of a new ticket, and refuses a request that is not signed', async () => {
    const admin = t.auth(t.main.key);
    const port = await freePort();
    const created = await t.http.post('/v1/webhooks').set(admin).send({ url: `http://127.0.0.1:${port}/deskline`, events: ['ticket.created'] });
    expect(created.status).toBe(201);
    await startConsumer(port, created.body.secret);

    const ticket = await t.http.post('/v1/tickets').set(admin).send({ subject: 'Printer on fire', message: { body: 'Smoke' }, requester: { email: 'jo@example.com' } });
    expect(ticket.status).toBe(201);
    const line = await eventually(() => printed.find((text) => text.includes(ticket.body.id)), 'the verified event on the consumer');
    expect(JSON.parse(line)).toMatchObject({ type: 'ticket.created', workspaceId: t.main.id, data: { ticket: { id: ticket.body.id } } });
    const delivery = await eventually(async () => {
      const log = await t.http.get(`/v1/webhooks/${created.body.id}/deliveries`).set(admin);
      return log.body.data?.find((entry: { status: string }) => entry.status !== 'pending');
    }, 'the delivery to be recorded');
    expect(delivery).toMatchObject({ status: 'succeeded', eventType: 'ticket.created' });
    expect(delivery.attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([204]);

    const forged = await fetch(`http://127.0.0.1:${port}/deskline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: line,
    });
    expect(forged.status).toBe(400);
    expect(printed.filter((text) => text.includes(ticket.body.id))).toHaveLength(1);
  });
});
