import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { GRAPHQL_TICKET_PAGE } from './scenarios';
import { seedWorkspace, SeedSizes } from './seed';
import { startBenchDatabase } from './support/database';
import { startServer } from './support/processes';

/**
 * `npm run bench:scale`: a million tickets and five million messages (set-based SQL), then the list, filter and
 * SLA queue requests one at a time against the production build: p50/p95/p99. Sizes can be reduced for a smoke run:
 * BENCH_SCALE_TICKETS, BENCH_SCALE_MESSAGES_PER_TICKET, BENCH_SCALE_TEAMS, BENCH_SCALE_AGENTS, BENCH_SCALE_REQUESTS.
 */

const projectRoot = join(__dirname, '..', '..');
const env = (name: string, fallback: number) => Number(process.env[name] || fallback);
const tickets = env('BENCH_SCALE_TICKETS', 1_000_000);
const sizes: SeedSizes = {
  tickets,
  messagesPerTicket: env('BENCH_SCALE_MESSAGES_PER_TICKET', 5),
  teams: env('BENCH_SCALE_TEAMS', 100),
  agents: env('BENCH_SCALE_AGENTS', 1_000),
  contacts: Math.max(1, Math.round(tickets / 10)),
};
const REQUESTS = env('BENCH_SCALE_REQUESTS', 200);
const TARGET_P95_MS = 50;
const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const database = await startBenchDatabase();
  const apiKey = `dsk_bench_${randomBytes(16).toString('hex')}`;
  const server = await startServer({
    script: join(projectRoot, 'dist', 'src', 'main.js'),
    port: await freePort(),
    env: { DATABASE_URL: database.url, DATA_DIR: database.dataDir, BOOTSTRAP_API_KEY: apiKey, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    healthPath: '/health',
  });
  try {
    log(`Seeding ${sizes.tickets.toLocaleString('en')} tickets, ${(sizes.tickets * sizes.messagesPerTicket).toLocaleString('en')} messages, ${sizes.teams} teams, ${sizes.agents} agents`);
    const started = Date.now();
    const seeded = await seedWorkspace(database.url, 'default', sizes, log);
    log(`Seeded in ${Math.round((Date.now() - started) / 1000)} s`);
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const team = (i: number) => seeded.teamIds[i % seeded.teamIds.length];
    const agent = (i: number) => seeded.agentIds[i % seeded.agentIds.length];
    const cases: Array<{ name: string; request: (i: number) => { path: string; body?: string } }> = [
      { name: 'team queue: open, -updatedAt, 50', request: (i) => ({ path: `/v1/tickets?status=open&teamId=${team(i)}&sort=-updatedAt&limit=50` }) },
      { name: 'all open, -updatedAt, 50', request: () => ({ path: '/v1/tickets?status=open&sort=-updatedAt&limit=50' }) },
      { name: 'agent queue: open+pending, -updatedAt', request: (i) => ({ path: `/v1/tickets?status=open,pending&assigneeId=${agent(i)}&sort=-updatedAt&limit=50` }) },
      { name: 'all tickets, -createdAt (default)', request: () => ({ path: '/v1/tickets?limit=50' }) },
      { name: 'by priority, -priority', request: () => ({ path: '/v1/tickets?sort=-priority&limit=50' }) },
      { name: 'tag filter', request: () => ({ path: '/v1/tickets?tag=billing&limit=50' }) },
      { name: 'SLA queue: open, slaDueAt', request: () => ({ path: '/v1/tickets?status=open&sort=slaDueAt&limit=50' }) },
      { name: 'GraphQL page of 50 (team queue)', request: (i) => ({ path: '/graphql', body: JSON.stringify({ query: GRAPHQL_TICKET_PAGE, variables: { team: team(i) } }) }) },
    ];
    const results = [];
    for (const entry of cases) {
      const times: number[] = [];
      let errors = 0;
      const deadline = Date.now() + 60_000;
      for (let i = 0; i < REQUESTS + 5 && Date.now() < deadline; i++) {
        const { path, body } = entry.request(i);
        const begin = process.hrtime.bigint();
        const response = await fetch(server.baseUrl + path, { method: body ? 'POST' : 'GET', headers, body });
        const text = await response.text();
        const elapsed = Number(process.hrtime.bigint() - begin) / 1e6;
        if (!response.ok || text.includes('"errors"')) errors++;
        if (i >= 5) times.push(elapsed); // the first few warm caches and prepared metadata
      }
      times.sort((a, b) => a - b);
      const row = { name: entry.name, requests: times.length, p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99), errors };
      results.push(row);
      log(`  ${row.name.padEnd(40)} p50 ${row.p50.toFixed(1).padStart(7)} ms  p95 ${row.p95.toFixed(1).padStart(7)} ms${row.p95 < TARGET_P95_MS ? '' : ' !'}  p99 ${row.p99.toFixed(1).padStart(7)} ms  (${row.requests} requests, ${errors} errors)`);
    }
    const output = { date: new Date().toISOString(), cores: cpus().length, sizes, requestsPerCase: REQUESTS, targetP95Ms: TARGET_P95_MS, results };
    mkdirSync(join(projectRoot, 'bench', 'results'), { recursive: true });
    writeFileSync(join(projectRoot, 'bench', 'results', 'scale.json'), JSON.stringify(output, null, 2) + '\n');
    log(`Wrote bench/results/scale.json ("!" = p95 over ${TARGET_P95_MS} ms)`);
  } finally {
    await server.stop();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
