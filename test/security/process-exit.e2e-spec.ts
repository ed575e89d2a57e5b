import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';

const root = join(__dirname, '..', '..');

interface RunningServer {
  child: ChildProcess;
  port: number;
  exited: Promise<number | string | null>;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function parentOf(pid: number): number | null {
  try {
    // The command name in field 2 may hold spaces; the fields after its closing parenthesis do not.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function processes(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** The postmaster serving `dataDir`, and its backends and helpers. */
function postgresOf(dataDir: string): number[] {
  const all = processes();
  const postmasters = all.filter((pid) => commandLine(pid).includes(join(dataDir, 'pg')) && commandLine(pid)[0].endsWith('postgres'));
  return [...postmasters, ...all.filter((pid) => postmasters.includes(parentOf(pid) ?? -1))];
}

function watchdogOf(dataDir: string): number[] {
  return processes().filter((pid) => commandLine(pid).includes('deskline-postgres-watchdog') && commandLine(pid).includes(join(dataDir, 'pg')));
}

const alive = (pid: number) => commandLine(pid).length > 1;

/** The real server, as `npm start` runs it (recompiling first if the sources changed since the last build). */
async function startServer(dataDir: string): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [join(root, 'src', 'start.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let gone = false;
  void exited.then(() => (gone = true));
  const port = await eventually(() => {
    if (gone) throw new Error(`the server exited before listening:\n${output}`);
    const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
    return match ? Number(match[1]) : null;
  }, 'the server to listen', 150_000);
  const health = await fetch(`http://127.0.0.1:${port}/health/ready`);
  expect(health.status).toBe(200);
  return { child, port, exited };
}

describe('security: the embedded PostgreSQL does not outlive the server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskline-exit-'));
  const started: ChildProcess[] = [];

  afterAll(() => {
    // Whatever a failed assertion left behind, this test's own processes only.
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const pid of [...watchdogOf(dataDir), ...postgresOf(dataDir)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops PostgreSQL within seconds when the server is killed with SIGKILL', async () => {
    const server = await startServer(dataDir);
    started.push(server.child);
    const postgres = postgresOf(dataDir);
    expect(postgres.length).toBeGreaterThan(1);
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    await eventually(() => postgres.every((pid) => !alive(pid)), `PostgreSQL ${postgres.join(', ')} to stop`, 10_000);
    expect(postgresOf(dataDir)).toEqual([]);
  }, 200_000);

  it('stops an orphaned PostgreSQL left in the data directory at the next start, then serves', async () => {
    const first = await startServer(dataDir);
    started.push(first.child);
    const [postmaster] = postgresOf(dataDir);
    // Kill the watchdog with the server, as an out-of-memory killer taking the whole group might: PostgreSQL is orphaned.
    for (const pid of watchdogOf(dataDir)) process.kill(pid, 'SIGKILL');
    first.child.kill('SIGKILL');
    await first.exited;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(postmaster)).toBe(true);

    const second = await startServer(dataDir);
    started.push(second.child);
    expect(alive(postmaster)).toBe(false);
    const [replacement] = postgresOf(dataDir);
    expect(replacement).not.toBe(postmaster);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await eventually(() => postgresOf(dataDir).length === 0 && watchdogOf(dataDir).length === 0, 'PostgreSQL and its watchdog to stop after SIGTERM', 10_000);
  }, 300_000);
});
