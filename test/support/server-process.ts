import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './eventually';

const root = join(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the server printed so far, stdout and stderr together. */
  output: () => string;
}

/**
 * The real server in a child process, started as `npm start` starts it (src/start.js), on the port it prints once
 * listening. `env` is the whole environment; a server that exits before listening fails with what it printed.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(root, 'src', 'start.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let gone = false;
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.once('exit', () => (gone = true));
  const port = await eventually(() => {
    if (gone) throw new Error(`the server exited before listening:\n${output}`);
    const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
    return match ? Number(match[1]) : null;
  }, 'the server to listen', 150_000);
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output };
}
