// ts-node --transpile-only bench/webhooks/delivery.bench.ts — deliveries per second to a local receiver, and the
// latency from an event's creation (inside its transaction, so just before commit) to its arrival at the receiver.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/app-config';
import { runMigrations } from '../../src/database/migrate';
import { query, startBenchDatabase } from '../support/database';

const LATENCY_SAMPLES = Number(process.env.LATENCY_SAMPLES ?? 300);
const THROUGHPUT_EVENTS = Number(process.env.THROUGHPUT_EVENTS ?? 10_000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const database = await startBenchDatabase();
  await runMigrations(database.url);
  const arrivals = new Map<string, number>();
  let waiter: { count: number; resolve: () => void } | null = null;
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      arrivals.set(String(request.headers['webhook-id']), performance.timeOrigin + performance.now());
      response.writeHead(204).end();
      if (waiter && arrivals.size >= waiter.count) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const arrived = (count: number) => new Promise<void>((resolve) => (arrivals.size >= count ? resolve() : (waiter = { count, resolve })));

  const key = `dsk_bench_${randomBytes(16).toString('hex')}`;
  // The receiver listens on http://127.0.0.1, which production refuses by default.
  const env = { DATA_DIR: database.dataDir, BOOTSTRAP_API_KEY: key, LOG_LEVEL: 'error', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', RATE_LIMIT_ENABLED: 'false', ...process.env };
  const app = await createApp(loadConfig(env), database.url);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await fetch(`${base}/v1/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url: receiverUrl, events: ['*'] }) });
  if (created.status !== 201) throw new Error(`webhook creation failed: ${created.status}`);

  // Latency: one change at a time through the API, each awaited at the receiver before the next.
  const latencies: number[] = [];
  for (let index = 0; index < LATENCY_SAMPLES; index++) {
    const response = await fetch(`${base}/v1/contacts`, { method: 'POST', headers, body: JSON.stringify({ name: `Bench ${index}`, email: `bench${index}@example.com` }) });
    if (response.status !== 201) throw new Error(`contact creation failed: ${response.status}`);
    await arrived(arrivals.size + 1);
    const [event] = await query(database.url, `SELECT id, created_at FROM outbox_events WHERE type = 'contact.created' ORDER BY position DESC LIMIT 1`);
    latencies.push(arrivals.get(event.id)! - new Date(event.created_at).getTime());
  }
  latencies.sort((a, b) => a - b);

  // Throughput: a burst of committed events, fanned out and delivered as fast as the dispatcher goes.
  const [{ id: workspaceId }] = await query(database.url, `SELECT id FROM workspaces WHERE slug = 'default'`);
  const before = arrivals.size;
  const started = performance.now();
  await query(
    database.url,
    `WITH events AS (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $2::int) n)
     INSERT INTO outbox_events (workspace_id, id, type, subject_type, subject_id, payload, created_at)
     SELECT $1, id, 'agent.updated', 'agent', $3, jsonb_build_object('id', id, 'type', 'agent.updated', 'version', 1, 'createdAt', now(),
            'workspaceId', $1::uuid, 'data', jsonb_build_object('n', n)), now() FROM events`,
    [workspaceId, THROUGHPUT_EVENTS, randomUUID()],
  );
  await query(database.url, `SELECT pg_notify('deskline_outbox', $1)`, [workspaceId]);
  await arrived(before + THROUGHPUT_EVENTS);
  const seconds = (performance.now() - started) / 1000;

  console.log(`commit-to-delivery latency over ${LATENCY_SAMPLES} sequential changes: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  console.log(`throughput: ${THROUGHPUT_EVENTS} deliveries in ${seconds.toFixed(2)} s = ${Math.round(THROUGHPUT_EVENTS / seconds)} deliveries/s`);
  await app.close();
  await new Promise((resolve) => receiver.close(resolve));
  await database.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
