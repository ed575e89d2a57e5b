import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import type { LoadJob, LoadResult } from './load-worker';
import { SCENARIOS, ScenarioContext } from './scenarios';
import { sampleTicketIds, seedWorkspace, SeedSizes } from './seed';
import { BenchDatabase, startBenchDatabase } from './support/database';
import { productionNodeFlags, ServerProcess, startServer } from './support/processes';

/**
 * `npm run bench [-- --quick] [-- --only=list,read]`: boots the production build and the floor on one fresh database,
 * drives each scenario at concurrency 1 and 32 with autocannon in a child process, and reports ours against the floor.
 */

const projectRoot = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
// `--cpu-prof=<dir>` runs our server under `node --cpu-prof`; the profile is written when it stops (read it with bench/profile-top).
const cpuProfDir = args.find((arg) => arg.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);
const CONCURRENCIES = [1, 32];
const timing = quick ? { warmupSeconds: 1, durationSeconds: 4 } : { warmupSeconds: 4, durationSeconds: 15 };
const sizes: SeedSizes = quick
  ? { teams: 10, agents: 100, contacts: 5_000, tickets: 20_000, messagesPerTicket: 3 }
  : { teams: 20, agents: 200, contacts: 25_000, tickets: 100_000, messagesPerTicket: 5 };

// Targets from the issue: ours/floor throughput, p99 at concurrency 32, peak RSS.
const MIN_RATIO: Record<string, number> = { create: 0.6, read: 0.7, list: 0.7, message: 0.6, graphql: 0.7 };
const MAX_P99_MS = 50;
const MAX_RSS_MB = 300;

interface Row {
  scenario: string;
  title: string;
  concurrency: number;
  ours: LoadResult;
  floor: LoadResult;
  /** ours/floor requests per second. */
  ratio: number;
}

/** floor/ours server CPU per request: how much of the floor's efficiency we keep, whatever the database's share of the cores. */
function cpuRatio(row: Row): number {
  return row.ours.cpuMsPerRequest && row.floor.cpuMsPerRequest ? row.floor.cpuMsPerRequest / row.ours.cpuMsPerRequest : NaN;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function runLoad(job: LoadJob, directory: string): Promise<LoadResult> {
  const file = join(directory, `job-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(job));
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load-worker.js'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load worker failed (${code}): ${stderr}`));
      resolveRun(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function table(rows: Row[]): string {
  const header = ['scenario', 'conc', 'ours req/s', 'floor req/s', 'ratio', 'target', 'CPU ms/req ours/floor', 'CPU ratio', 'ours p50', 'ours p99', 'floor p50', 'floor p99', 'errors ours/floor'];
  const lines = rows.map((row) => {
    const target = MIN_RATIO[row.scenario];
    const ratioOk = row.concurrency === 1 || row.ratio >= target;
    const p99Ok = row.concurrency === 1 || row.ours.p99 < MAX_P99_MS;
    return [
      row.title,
      String(row.concurrency),
      fixed(row.ours.requestsPerSecond, 0),
      fixed(row.floor.requestsPerSecond, 0),
      `${fixed(row.ratio, 2)}${ratioOk ? '' : ' !'}`,
      `>= ${target}`,
      `${fixed(row.ours.cpuMsPerRequest ?? NaN, 2)} / ${fixed(row.floor.cpuMsPerRequest ?? NaN, 2)}`,
      fixed(cpuRatio(row), 2),
      `${fixed(row.ours.p50, 2)} ms`,
      `${fixed(row.ours.p99, 2)} ms${p99Ok ? '' : ' !'}`,
      `${fixed(row.floor.p50, 2)} ms`,
      `${fixed(row.floor.p99, 2)} ms`,
      `${row.ours.errors}/${row.floor.errors}`,
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}

function updateDocs(markdown: string): void {
  const file = join(projectRoot, 'docs', 'benchmarks.md');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${start}\n${end}\n`;
  if (!current.includes(start) || !current.includes(end)) {
    log(`docs/benchmarks.md has no ${start} … ${end} section; not updated`);
    return;
  }
  const next = current.slice(0, current.indexOf(start) + start.length) + '\n' + markdown + '\n' + current.slice(current.indexOf(end));
  writeFileSync(file, next);
  log('Updated docs/benchmarks.md');
}

async function main(): Promise<void> {
  const started = Date.now();
  const scenarios = SCENARIOS.filter((scenario) => !only || only.includes(scenario.name));
  log(`Deskline bench (${quick ? 'quick' : 'full'}): ${cpus().length} cores, node ${process.version}`);
  let database: BenchDatabase | null = null;
  let ours: ServerProcess | null = null;
  let floor: ServerProcess | null = null;
  try {
    database = await startBenchDatabase();
    log(`Database: ${database.embedded ? 'embedded PostgreSQL (fresh cluster)' : 'fresh database on DATABASE_URL'}`);
    const apiKey = `dsk_bench_${randomBytes(16).toString('hex')}`;
    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      BOOTSTRAP_API_KEY: apiKey,
      // The production default; BENCH_LOG_LEVEL=warn measures the server without per-request logs.
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'info',
      NODE_ENV: 'production',
    };
    ours = await startServer({
      script: join(projectRoot, 'dist', 'src', 'main.js'),
      nodeArgs: [...productionNodeFlags(), ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])],
      port: await freePort(),
      env,
      healthPath: '/health',
    });
    log(`Deskline up (pid ${ours.child.pid}); seeding ${sizes.tickets} tickets, ${sizes.tickets * sizes.messagesPerTicket} messages, ${sizes.teams} teams, ${sizes.agents} agents`);
    const seeded = await seedWorkspace(database.url, 'default', sizes, log);
    const open = await sampleTicketIds(database.url, seeded.workspaceId, 3000);
    const context: ScenarioContext = { apiKey, listTeamId: seeded.listTeamId, readTicketIds: open.slice(0, 1000), messageTicketIds: open.slice(1000) };
    floor = await startServer({ script: join(__dirname, 'floor', 'server.js'), port: await freePort(), env, healthPath: '/health' });
    const rssAfterBoot = ours.peakRssMb();

    const rows: Row[] = [];
    for (const scenario of scenarios) {
      for (const connections of CONCURRENCIES) {
        const job = (server: ServerProcess): LoadJob => ({ baseUrl: server.baseUrl, scenario: scenario.name, connections, ...timing, context, serverPid: server.child.pid });
        // Alternate who goes first, so slow drift on a shared machine does not always favour the same side.
        const oursFirst = rows.length % 2 === 0;
        const first = await runLoad(job(oursFirst ? ours : floor), database.dataDir);
        const second = await runLoad(job(oursFirst ? floor : ours), database.dataDir);
        const [oursResult, floorResult] = oursFirst ? [first, second] : [second, first];
        const row = { scenario: scenario.name, title: scenario.title, concurrency: connections, ours: oursResult, floor: floorResult, ratio: oursResult.requestsPerSecond / floorResult.requestsPerSecond };
        rows.push(row);
        log(`  ${scenario.name} c=${connections}: ours ${fixed(oursResult.requestsPerSecond, 0)} req/s p99 ${fixed(oursResult.p99, 2)} ms, floor ${fixed(floorResult.requestsPerSecond, 0)} req/s, ratio ${fixed(row.ratio, 2)}, CPU ratio ${fixed(cpuRatio(row), 2)}`);
        for (const sample of [...oursResult.errorSamples.map((s) => `ours: ${s}`), ...floorResult.errorSamples.map((s) => `floor: ${s}`)]) log(`    error ${sample}`);
      }
    }
    const peakRss = ours.peakRssMb();
    const floorRss = floor.peakRssMb();
    const date = new Date().toISOString();
    const rendered = table(rows);
    log('');
    log(rendered);
    log('');
    log(`Peak RSS (VmHWM): ours ${peakRss ?? '?'} MB (after boot ${rssAfterBoot ?? '?'} MB, target < ${MAX_RSS_MB}), floor ${floorRss ?? '?'} MB`);
    log(`"!" marks a missed target: ratio >= target at concurrency 32, p99 < ${MAX_P99_MS} ms at concurrency 32.`);

    const result = {
      date,
      mode: quick ? 'quick' : 'full',
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      database: database.embedded ? 'embedded' : 'DATABASE_URL',
      logLevel: env.LOG_LEVEL,
      seeded: sizes,
      timing,
      peakRssMb: { ours: peakRss, oursAfterBoot: rssAfterBoot, floor: floorRss },
      targets: { minRatio: MIN_RATIO, maxP99Ms: MAX_P99_MS, maxRssMb: MAX_RSS_MB },
      rows,
    };
    mkdirSync(join(projectRoot, 'bench', 'results'), { recursive: true });
    writeFileSync(join(projectRoot, 'bench', 'results', 'latest.json'), JSON.stringify(result, null, 2) + '\n');
    log('Wrote bench/results/latest.json');
    if (!only) {
      updateDocs(
        [
          `Run ${date.slice(0, 16).replace('T', ' ')} UTC, \`npm run bench${quick ? ' -- --quick' : ''}\`: ${cpus().length} cores (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, `
            + `${database.embedded ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}, server and load generator on the same machine, LOG_LEVEL=${env.LOG_LEVEL}. `
            + `Seeded ${sizes.tickets.toLocaleString('en')} tickets, ${(sizes.tickets * sizes.messagesPerTicket).toLocaleString('en')} messages; ${timing.durationSeconds} s per cell after ${timing.warmupSeconds} s warm-up.`,
          '',
          rendered,
          '',
          `Peak RSS (VmHWM) of the server: **${peakRss ?? '?'} MB** (${rssAfterBoot ?? '?'} MB after boot; floor ${floorRss ?? '?'} MB).`,
        ].join('\n'),
      );
    }
    log(`Done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await floor?.stop();
    await ours?.stop();
    await database?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
