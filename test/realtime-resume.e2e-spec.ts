import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startServerProcess } from './support/server-process';
import { SseClient } from './support/sse-client';
import { createTestDatabase, startTestApp, TestApp, TestDatabase, testInstanceKeys } from './support/test-app';


/** The real server in a child process (as `npm start` runs it), so it can die by SIGKILL mid-stream. */
async function startServer(database: TestDatabase): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...testInstanceKeys(), DATABASE_URL: database.url, BOOTSTRAP_API_KEY: database.bootstrapKey, DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR,
    PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false', WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false',
  };
  const { child, url } = await startServerProcess(env);
  return { child, url };
}

describe('event stream: resume after the server is killed mid-stream', () => {
  let database: TestDatabase;
  let writer: TestApp;
  const children: ChildProcess[] = [];
  const clients: SseClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Changes come through another instance, which stays up while the streaming one dies.
    writer = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' }, { database });
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await writer?.close();
    await database?.drop();
  });

  it('loses and repeats nothing when a client resumes with Last-Event-ID on a restarted server', async () => {
    const auth = { Authorization: `Bearer ${database.bootstrapKey}` };
    const createTicket = async (subject: string) =>
      (await writer.http.post('/v1/tickets').set(auth).send({ subject, message: { body: 'Help' }, requester: { email: `r-${randomUUID()}@example.com` } }).expect(201)).body.id as string;

    const first = await startServer(database);
    children.push(first.child);
    const before = await SseClient.open(`${first.url}/v1/events/stream?types=ticket.created`, auth);
    clients.push(before);
    expect(before.status).toBe(200);
    const seen = [await createTicket('one'), await createTicket('two'), await createTicket('three')];
    await before.waitFor((events) => events.length === 3, 'three tickets before the kill');

    const killed = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await killed;
    await before.waitForEnd('the stream to break');
    const whileDown = [await createTicket('four'), await createTicket('five')];

    const second = await startServer(database);
    children.push(second.child);
    const after = await SseClient.open(`${second.url}/v1/events/stream?types=ticket.created`, { ...auth, 'Last-Event-ID': before.lastId()! });
    clients.push(after);
    expect(after.status).toBe(200);
    const later = await createTicket('six');
    await after.waitFor((events) => events.length >= 3, 'the missed tickets and the new one');

    expect(before.events.map((event) => event.data.data.ticket.id)).toEqual(seen);
    expect(after.events.map((event) => event.data.data.ticket.id)).toEqual([...whileDown, later]);
    const ids = [...before.ids(), ...after.ids()].map(BigInt);
    expect(ids.every((id, index) => index === 0 || id > ids[index - 1])).toBe(true);
    second.child.kill('SIGTERM');
  });
});
