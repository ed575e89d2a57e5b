import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { seedWorkspace } from '../seed';
import { startBenchDatabase } from '../support/database';
import { productionNodeFlags, startServer } from '../support/processes';

/**
 * The attacks of issue 12 against one production-mode server process (NODE_ENV=production, the start:prod heap cap,
 * limits at their defaults) while a second workspace keeps listing its tickets: reports how each attack is answered,
 * the bystander's list latency before and during the attacks, and the server's peak RSS (VmHWM).
 * The per-address limit is raised because attacker and bystander share 127.0.0.1 here; per-credential limits stay.
 */
const projectRoot = join(__dirname, '..', '..', '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Timed {
  status: number;
  ms: number;
}

async function send(url: string, init: RequestInit): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

function tally(results: Timed[]): string {
  const counts = new Map<number, number>();
  for (const result of results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  const statuses = [...counts.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}x${count}`).join(' ');
  return `${statuses}; median ${median(results.map((r) => r.ms)).toFixed(1)} ms`;
}

async function times<T>(count: number, concurrency: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) results.push(await run(next++));
    }),
  );
  return results;
}

/** A fresh database and one `node dist/src/main.js` on it, in production mode with the start:prod flags. */
async function startProductionServer(env: NodeJS.ProcessEnv) {
  const database = await startBenchDatabase();
  const apiKey = `dsk_bench_${randomBytes(16).toString('hex')}`;
  const server = await startServer({
    script: join(projectRoot, 'dist', 'src', 'main.js'),
    nodeArgs: productionNodeFlags(),
    port: await freePort(),
    env: { DATABASE_URL: database.url, DATA_DIR: database.dataDir, BOOTSTRAP_API_KEY: apiKey, NODE_ENV: 'production', ...env },
    healthPath: '/health',
  });
  return {
    database,
    apiKey,
    server,
    async stop() {
      await server.stop();
      await database.stop();
    },
  };
}

async function main(): Promise<void> {
  log(`Deskline security attacks bench: ${cpus().length} cores, node ${process.version}`);
  const running = await startProductionServer({ LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_IP_PER_MINUTE: '1000000' });
  const { database, apiKey, server } = running;
  const base = server.baseUrl;
  const json = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
  try {
    await seedWorkspace(database.url, 'default', { teams: 3, agents: 5, contacts: 200, tickets: 2000, messagesPerTicket: 3 }, () => undefined);
    const created = await fetch(`${base}/v1/workspaces`, { method: 'POST', headers: json(apiKey), body: JSON.stringify({ name: 'Bystander' }) });
    const bystanderKey = ((await created.json()) as { apiKey: { key: string } }).apiKey.key;
    for (let i = 0; i < 30; i++) {
      await fetch(`${base}/v1/tickets`, {
        method: 'POST',
        headers: json(bystanderKey),
        body: JSON.stringify({ subject: `Bystander ${i}`, requester: { email: `b${i}@example.com` }, message: { body: 'hello' } }),
      });
    }
    const bystanderList = () => send(`${base}/v1/tickets?limit=25`, { headers: json(bystanderKey) });
    const quiet = await times(50, 1, bystanderList);
    log(`bystander GET /v1/tickets, quiet: ${tally(quiet)}`);

    let attacking = true;
    const during: Timed[] = [];
    const watcher = (async () => {
      while (attacking) {
        during.push(await bystanderList());
        // Well under its own per-credential quota (600 a minute), so every answer it gets is a real list.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();

    const graphql = (key: string, query: string) => send(`${base}/graphql`, { method: 'POST', headers: json(key), body: JSON.stringify({ query }) });
    const aliases = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    const attackerKeys = Array.from({ length: 8 }, () => apiKey);

    const attacks: Array<[string, () => Promise<Timed[]>]> = [
      ['5,000 aliases of tickets(first:100){messages}, x20', () => times(20, 4, () => graphql(apiKey, aliases(5000, 'tickets(first:100){edges{node{messages{body}}}}')))],
      ['150 aliases of tickets(first:100){messages}, x100', () => times(100, 8, () => graphql(apiKey, aliases(150, 'tickets(first:100){edges{node{messages{body}}}}')))],
      ['1,000 createContact aliases, x20', () => times(20, 4, () => graphql(apiKey, `mutation ${aliases(1000, 'createContact(input:{name:"x"}){id}')}`))],
      ['a page of 50 tickets with 20 messages each (over the cost limit), x40', () => times(40, 8, () => graphql(apiKey, '{ tickets(first:50){ edges{ node{ id subject messages(first:20){ edges{ node{ body } } } } } } }'))],
      ['JSON nested 10,000 deep in metadata, x50', () => times(50, 8, () => send(`${base}/v1/contacts`, { method: 'POST', headers: json(apiKey), body: `{"name":"x","metadata":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}` }))],
      ['a body of 1 MiB + 1 byte, x20', () => times(20, 4, () => send(`${base}/v1/contacts`, { method: 'POST', headers: json(apiKey), body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }).slice(0, 1024 * 1024 + 1) }))],
      ['a body of 6 MiB, x5', () => times(5, 2, () => send(`${base}/v1/contacts`, { method: 'POST', headers: json(apiKey), body: 'x'.repeat(6 * 1024 * 1024) }))],
      ['raw MIME with 10,000 parts, x5', () => times(5, 2, () => send(`${base}/v1/channels/email/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${apiKey}` },
        body: `From: a@example.com\r\nTo: b@example.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(10000)}--b--\r\n`,
      }))],
      ['200 wrong passwords for one account', () => times(200, 8, () => send(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password!', workspace: 'default' }) }))],
      ['2,000 list requests from one key at concurrency 32', () => times(2000, 32, (i) => send(`${base}/v1/tickets?limit=100`, { headers: json(attackerKeys[i % attackerKeys.length]) }))],
    ];
    for (const [name, attack] of attacks) {
      const started = performance.now();
      const results = await attack();
      log(`${name}: ${tally(results)}; ${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS so far ${server.peakRssMb()} MB`);
    }
    attacking = false;
    await watcher;
    log(`bystander GET /v1/tickets, during the attacks: ${tally(during)}; p99 ${[...during.map((r) => r.ms)].sort((a, b) => a - b)[Math.floor(during.length * 0.99)]?.toFixed(1)} ms`);
    log(`server peak RSS (VmHWM): ${server.peakRssMb()} MB`);
  } finally {
    await running.stop();
  }
  await fuzzAnotherServer();
}

/**
 * The fuzz test of `npm test` (about 3,000 generated requests over every operation), sent to a server process of its
 * own, with limits off as in the test, so that the server's memory is measured apart from jest's.
 */
async function fuzzAnotherServer(): Promise<void> {
  const running = await startProductionServer({
    LOG_LEVEL: 'fatal',
    RATE_LIMIT_ENABLED: 'false',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_DISPATCHER_ENABLED: 'false',
    SLA_SCHEDULER_ENABLED: 'false',
    MAIL_WORKER_ENABLED: 'false',
  });
  const { apiKey, server } = running;
  try {
    const started = performance.now();
    const exitCode = await new Promise<number | null>((resolveExit) => {
      const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), 'test/security/fuzz.e2e-spec.ts'], {
        cwd: projectRoot,
        env: { ...process.env, FUZZ_SERVER_URL: server.baseUrl, FUZZ_SERVER_KEY: apiKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
      jest.stdout.on('data', keep);
      jest.stderr.on('data', keep);
      jest.on('exit', (code) => {
        const summary = output.split('\n').filter((line) => /^(Tests:|PASS|FAIL)/.test(line.trim()));
        log(`fuzz test against its own server: ${summary.map((line) => line.trim()).join('; ')}`);
        resolveExit(code);
      });
    });
    log(`fuzz run ${exitCode === 0 ? 'passed' : `failed (exit ${exitCode})`} in ${((performance.now() - started) / 1000).toFixed(0)} s; that server's peak RSS (VmHWM): ${server.peakRssMb()} MB`);
  } finally {
    await running.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
