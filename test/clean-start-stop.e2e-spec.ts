import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually';

const root = join(__dirname, '..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `npm start` as a terminal runs it: npm in a process group of its own, which Ctrl-C signals as a whole. */
function npmStart(dataDir: string, port: number): Started {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.BOOTSTRAP_API_KEY;
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

async function listening(server: Started): Promise<void> {
  let gone = false;
  void server.exited.then(() => (gone = true));
  await eventually(() => {
    if (gone) throw new Error(`the server exited before listening:\n${server.output()}`);
    return /listening on http:\/\/localhost:\d+/.test(server.output()) || null;
  }, 'the server to listen', 150_000);
}

function postmasterOf(dataDir: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return command[0].endsWith('postgres') && command.includes(join(dataDir, 'pg'));
    } catch {
      return false;
    }
  });
}

/** Structured log lines at warn (40) or above, and anything that looks like an error outside them. */
function complaints(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(4|5|6)0/.test(line) || /\berror\b|ECONNRESET|not released|connection lost/i.test(line));
}

describe('npm start: a clean start, a clean stop, and a second start that fails in one line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskline-start-'));
  const started: Started[] = [];
  const launch = (dir: string, port: number) => {
    const server = npmStart(dir, port);
    started.push(server);
    return server;
  };

  afterAll(() => {
    for (const { child } of started) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    for (const pid of postmasterOf(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the first boot admin key last, refuses a second start on the same port or DATA_DIR, and stops on Ctrl-C without a complaint', async () => {
    const port = await freePort();
    const first = launch(dataDir, port);
    await listening(first);
    await eventually(() => /shown only now/.test(first.output()) || null, 'the admin key');
    // The key block is the last thing printed at boot.
    const lines = first.output().trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^\s+dsk_[A-Za-z0-9_-]+$/);
    expect(lines[lines.length - 3]).toMatch(/Its admin API key \(shown only now\)/);

    const otherDir = mkdtempSync(join(tmpdir(), 'deskline-start-other-'));
    try {
      const samePort = launch(otherDir, port);
      expect(await samePort.exited).toEqual({ code: 1, signal: null });
      expect(samePort.output()).toContain(`Deskline failed to start: port ${port} is in use; stop the server holding it or set another PORT`);
      expect(samePort.output()).not.toMatch(/dsk_|undefined|Error:|at /);
      // No database was started or created for it (only the generated key files, which a later start reuses).
      expect(readdirSync(otherDir).filter((entry) => !['jwt-secret', 'webhook-encryption-key'].includes(entry))).toEqual([]);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }

    const sameDir = launch(dataDir, await freePort());
    expect(await sameDir.exited).toEqual({ code: 1, signal: null });
    expect(sameDir.output()).toMatch(new RegExp(`Deskline failed to start: data directory ${dataDir} is in use by process \\d+; stop that process or set another DATA_DIR`));
    expect(sameDir.output()).not.toMatch(/dsk_|undefined|Error:|\n\s+at /);

    // Ctrl-C: SIGINT to npm's whole process group (npm, node, and formerly the postmaster with them).
    const postmaster = postmasterOf(dataDir);
    expect(postmaster).toHaveLength(1);
    const before = Date.now();
    process.kill(-first.child.pid!, 'SIGINT');
    await first.exited;
    expect(Date.now() - before).toBeLessThan(10_000);
    expect(first.output()).toContain('SIGINT received, shutting down');
    expect(complaints(first.output())).toEqual([]);
    expect(postmasterOf(dataDir)).toEqual([]);
  }, 300_000);

  it('stops as cleanly when SIGTERM reaches npm alone (a process manager) and starts again on the same DATA_DIR without a new key', async () => {
    const server = launch(dataDir, await freePort());
    await listening(server);
    expect(server.output()).not.toMatch(/shown only now/);
    const before = Date.now();
    server.child.kill('SIGTERM');
    await server.exited;
    expect(Date.now() - before).toBeLessThan(10_000);
    await eventually(() => postmasterOf(dataDir).length === 0 || null, 'PostgreSQL to stop', 10_000);
    expect(server.output()).toContain('SIGTERM received, shutting down');
    expect(complaints(server.output())).toEqual([]);
  }, 300_000);
});
