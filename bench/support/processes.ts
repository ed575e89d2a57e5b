import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Peak resident set size so far (VmHWM), in MB; null where /proc is unavailable. */
  peakRssMb(): number | null;
  output(): string;
  stop(): Promise<void>;
}

export function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** The node flags `npm run start:prod` (package.json) runs the server with, so the bench measures what production runs. */
export function productionNodeFlags(): string[] {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  return String(packageJson.scripts['start:prod']).split(/\s+/).filter((part) => part.startsWith('--'));
}

/** Starts `node <script>` and resolves once GET <healthPath> answers 200. */
export async function startServer(options: {
  script: string;
  port: number;
  env: NodeJS.ProcessEnv;
  healthPath: string;
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    // A benchmark is one caller making as many requests as it can: limits would measure themselves.
    env: { RATE_LIMIT_ENABLED: 'false', ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Keep only the tail: the server's request log would otherwise grow without bound during a run.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.script} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(baseUrl + options.healthPath);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.script} did not become healthy in time:\n${output}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  return {
    child,
    baseUrl,
    peakRssMb: () => (child.pid ? peakRssMb(child.pid) : null),
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
