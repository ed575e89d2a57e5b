import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, get, IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { query, startBenchDatabase } from '../support/database';
import { productionNodeFlags, ServerProcess, startServer } from '../support/processes';

/**
 * npm run bench:realtime [-- --idle 10000 --clients 1000 --rate 200 --seconds 10 --polls 1000]
 * Against one production-mode server in its own process:
 * 1. idle SSE connections: the server's RSS growth per connection;
 * 2. clients of one workspace on SSE while tickets change at a steady rate: commit-to-client latency (from the event's
 *    createdAt, stamped inside the transaction, so a slight overestimate), then every client is cut and resumes with
 *    Last-Event-ID: events lost or repeated are counted against the feed;
 * 3. waiting long-polls: database transactions (pg_stat_database xact_commit) while nothing happens.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const IDLE = option('idle', 10_000);
const CLIENTS = option('clients', 1000);
const RATE = option('rate', 200);
const SECONDS = option('seconds', 10);
const POLLS = option('polls', 1000);
const projectRoot = join(__dirname, '..', '..', '..');
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

interface Stream {
  events: Map<string, number>;
  lastId: string | null;
  duplicates: number;
  close(): void;
  ready: Promise<void>;
}

function openStream(server: ServerProcess, key: string, lastId: string | null, onEvent?: (data: { id: string; createdAt: string }) => void, previous?: Stream): Stream {
  const url = new URL('/v1/events/stream?types=ticket.*', server.baseUrl);
  const stream: Stream = previous ?? { events: new Map(), lastId, duplicates: 0, close: () => undefined, ready: Promise.resolve() };
  stream.ready = new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
    if (lastId) headers['Last-Event-ID'] = lastId;
    const request = get({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) return reject(new Error(`stream ${response.statusCode}`));
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!id || !data) continue;
          const parsed = JSON.parse(data) as { id: string; createdAt: string };
          if (stream.events.has(parsed.id)) stream.duplicates++;
          stream.events.set(parsed.id, Date.now());
          stream.lastId = id;
          onEvent?.(parsed);
        }
      });
      resolve();
    });
    request.on('error', () => undefined);
    stream.close = () => request.destroy();
  });
  return stream;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const database = await startBenchDatabase();
  const key = `dsk_bench_${randomBytes(16).toString('hex')}`;
  const server = await startServer({
    script: join(projectRoot, 'dist', 'src', 'main.js'),
    port: 3400 + Math.floor(Math.random() * 500),
    env: { DATABASE_URL: database.url, DATA_DIR: database.dataDir, BOOTSTRAP_API_KEY: key, NODE_ENV: 'production', LOG_LEVEL: 'warn', SLA_SCHEDULER_ENABLED: 'false', WEBHOOK_DISPATCHER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' },
    healthPath: '/health/ready',
    nodeArgs: productionNodeFlags(),
  });
  const pid = server.child.pid!;
  const api = (path: string, init: RequestInit = {}) => fetch(server.baseUrl + path, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  try {
    // Warm up the stream path once so its code is loaded before the baseline.
    const warm = openStream(server, key, null);
    await warm.ready;
    warm.close();
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // 1. Idle SSE connections.
    global.gc?.();
    const before = rssKb(pid);
    const idle: Stream[] = [];
    for (let opened = 0; opened < IDLE; opened += 500) {
      const batch = Array.from({ length: Math.min(500, IDLE - opened) }, () => openStream(server, key, null));
      await Promise.all(batch.map((stream) => stream.ready));
      idle.push(...batch);
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = rssKb(pid);
    console.log(JSON.stringify({ scenario: 'idle-sse', connections: idle.length, rssBeforeMb: Math.round(before / 1024), rssAfterMb: Math.round(after / 1024), perConnectionKb: +((after - before) / idle.length).toFixed(2) }));
    for (const stream of idle) stream.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));

    // 3. Waiting long-polls cost no database work while nothing happens.
    const head = (await (await api('/v1/events?limit=1')).json()) as { nextCursor: string };
    const controller = new AbortController();
    const polls = Array.from({ length: POLLS }, () => api(`/v1/events?wait=30&after=${head.nextCursor}&types=sla.breached`, { signal: controller.signal }).catch(() => null));
    // Let every poll be admitted, authenticated and read once (on a busy 2-core machine that takes seconds) before counting.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const databaseName = new URL(database.url).pathname.slice(1);
    const commits = async () => Number((await query(database.adminUrl, 'SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [databaseName]))[0].xact_commit);
    const xactBefore = await commits();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const xactAfter = await commits();
    // Our own two counter reads are transactions of the same database too.
    console.log(JSON.stringify({ scenario: 'idle-long-polls', waiting: POLLS, seconds: 10, transactions: xactAfter - xactBefore, note: 'xact_commit of the server\'s database; the bench reads it from the maintenance database' }));
    controller.abort();
    await Promise.allSettled(polls);

    // 2. Clients of one workspace while tickets change.
    const tickets: string[] = [];
    for (let index = 0; index < 20; index++) {
      const created = (await (await api('/v1/tickets', { method: 'POST', body: JSON.stringify({ subject: `Bench ${index}`, message: { body: 'x' }, requester: { email: `bench-${index}@example.com` } }) })).json()) as { id: string };
      tickets.push(created.id);
    }
    const latencies: number[] = [];
    const clients: Stream[] = [];
    for (let opened = 0; opened < CLIENTS; opened += 250) {
      const batch = Array.from({ length: Math.min(250, CLIENTS - opened) }, () => openStream(server, key, null, (event) => latencies.push(Date.now() - Date.parse(event.createdAt))));
      await Promise.all(batch.map((stream) => stream.ready));
      clients.push(...batch);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const change = async (index: number) => {
      await api(`/v1/tickets/${tickets[index % tickets.length]}`, { method: 'PATCH', body: JSON.stringify({ subject: `Bench change ${index}` }) });
    };
    let index = 0;
    const run = async (seconds: number) => {
      const started = Date.now();
      const inFlight: Promise<void>[] = [];
      while (Date.now() - started < seconds * 1000) {
        const due = Math.floor(((Date.now() - started) / 1000) * RATE);
        while (index < due) inFlight.push(change(index++));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await Promise.all(inFlight);
    };
    await run(SECONDS / 2);
    // Every client is cut and resumes with Last-Event-ID while changes go on.
    for (const stream of clients) stream.close();
    const resumed = clients.map((stream) => openStream(server, key, stream.lastId, (event) => latencies.push(Date.now() - Date.parse(event.createdAt)), stream));
    await Promise.all([run(SECONDS / 2), ...resumed.map((stream) => stream.ready)]);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // The truth: every ticket.* event after the clients connected, from the feed.
    const expected = new Set<string>();
    let cursor: string | null = null;
    for (;;) {
      const page = (await (await api(`/v1/events?types=ticket.updated&limit=500${cursor ? `&after=${cursor}` : ''}`)).json()) as { data: Array<{ id: string }>; nextCursor: string };
      for (const event of page.data) expected.add(event.id);
      if (page.data.length < 500) break;
      cursor = page.nextCursor;
    }
    let lost = 0;
    let duplicated = 0;
    for (const stream of clients) {
      duplicated += stream.duplicates;
      for (const id of expected) if (!stream.events.has(id)) lost++;
    }
    latencies.sort((a, b) => a - b);
    console.log(JSON.stringify({
      scenario: 'clients-under-load', clients: clients.length, changesPerSecond: RATE, seconds: SECONDS, changes: index, eventsPerClient: expected.size,
      deliveries: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1),
      lostAcrossReconnect: lost, duplicatedAcrossReconnect: duplicated, serverPeakRssMb: server.peakRssMb(),
    }));
    for (const stream of clients) stream.close();
  } finally {
    await server.stop();
    await database.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
