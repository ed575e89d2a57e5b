import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { SCENARIOS, ScenarioContext } from './scenarios';

interface AutocannonResult {
  requests: { total: number };
  timeouts: number;
}
// autocannon ships no type declarations; this is the part of its API the bench uses.
const autocannon = require('autocannon') as (options: Record<string, unknown>) => EventEmitter;

/** One scenario against one server, run in its own process so the load generator never shares an event loop with a server. */
export interface LoadJob {
  baseUrl: string;
  scenario: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  context: ScenarioContext;
  /** The server's process id, to read the CPU time it spent on the measured window from /proc. */
  serverPid?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** A few distinct error descriptions, to tell a bug from an overload. */
  errorSamples: string[];
  /**
   * Server CPU time (user + system) per request in the measured window, in ms; null where /proc is unavailable.
   * Unlike throughput, this barely moves when other work shares the machine.
   */
  cpuMsPerRequest: number | null;
}

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat, in clock ticks of 10 ms). */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // The command name (field 2) may hold spaces, so count fields from the closing parenthesis: utime and stime follow 11 later.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function drive(job: LoadJob, durationSeconds: number, record: boolean): Promise<LoadResult> {
  const scenario = SCENARIOS.find((candidate) => candidate.name === job.scenario);
  if (!scenario) throw new Error(`unknown scenario ${job.scenario}`);
  let counter = Math.floor(Math.random() * 1_000_000);
  let errors = 0;
  const errorSamples = new Set<string>();
  const latencies: number[] = [];
  const fail = (description: string) => {
    errors++;
    if (errorSamples.size < 5) errorSamples.add(description.slice(0, 300));
  };
  const instance = autocannon({
    url: job.baseUrl,
    connections: job.connections,
    duration: durationSeconds,
    headers: { authorization: `Bearer ${job.context.apiKey}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const next = scenario.next(job.context, counter++);
          return { ...request, method: next.method, path: next.path, body: next.body };
        },
        onResponse: (status: number, body: string) => {
          if (status !== scenario.expectStatus) fail(`${status} ${body}`);
          else if (job.scenario === 'graphql' && body.includes('"errors"')) fail(`graphql ${body}`);
        },
      },
    ],
  });
  // autocannon's histogram rounds to whole milliseconds; keep exact times for sub-millisecond latencies at concurrency 1.
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (record && status === scenario.expectStatus) latencies.push(responseTime);
  });
  instance.on('reqError', (error: Error) => fail(`socket ${error.message}`));
  const cpuBefore = processCpuMs(job.serverPid);
  const result = await new Promise<AutocannonResult>((resolveRun, reject) => {
    instance.on('done', resolveRun);
    instance.on('error', reject);
  });
  const cpuAfter = processCpuMs(job.serverPid);
  latencies.sort((a, b) => a - b);
  const total = result.requests.total;
  return {
    requests: total,
    requestsPerSecond: total / durationSeconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: errors + result.timeouts,
    errorSamples: [...errorSamples],
    cpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && total > 0 ? (cpuAfter - cpuBefore) / total : null,
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadJob;
  if (job.warmupSeconds > 0) await drive(job, job.warmupSeconds, false);
  const result = await drive(job, job.durationSeconds, true);
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
