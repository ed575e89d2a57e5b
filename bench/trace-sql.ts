import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { SCENARIOS, ScenarioContext } from './scenarios';
import { sampleTicketIds, seedWorkspace } from './seed';
import { query, startBenchDatabase } from './support/database';
import { startServer } from './support/processes';

/**
 * Prints the SQL each scenario's request sends, for our server and the floor, so the floor can be kept statement for
 * statement in step with the real code: `npm run build && node dist/bench/trace-sql.js`. Needs the embedded database.
 */
async function main(): Promise<void> {
  const database = await startBenchDatabase();
  if (!database.embedded) throw new Error('trace-sql reads the embedded server log; unset DATABASE_URL');
  const apiKey = `dsk_bench_${randomBytes(16).toString('hex')}`;
  const env = { DATABASE_URL: database.url, DATA_DIR: database.dataDir, BOOTSTRAP_API_KEY: apiKey, LOG_LEVEL: 'warn' };
  const servers = [
    { name: 'ours', script: join(__dirname, '..', 'src', 'main.js'), health: '/health' },
    { name: 'floor', script: join(__dirname, 'floor', 'server.js'), health: '/health' },
  ];
  const ours = await startServer({ script: servers[0].script, port: await freePort(), env, healthPath: '/health' });
  const seeded = await seedWorkspace(database.url, 'default', { teams: 3, agents: 10, contacts: 100, tickets: 600, messagesPerTicket: 3 });
  const ids = await sampleTicketIds(database.url, seeded.workspaceId, 20);
  const context: ScenarioContext = { apiKey, listTeamId: seeded.listTeamId, readTicketIds: ids.slice(0, 10), messageTicketIds: ids.slice(10) };
  const floor = await startServer({ script: servers[1].script, port: await freePort(), env, healthPath: '/health' }).catch((error) => {
    process.stdout.write(`(floor not started: ${String(error).split('\n')[0]})\n`);
    return null;
  });
  await query(database.adminUrl, `ALTER SYSTEM SET log_statement = 'all'`);
  await query(database.adminUrl, `ALTER SYSTEM SET log_line_prefix = '[%a] '`);
  await query(database.adminUrl, `SELECT pg_reload_conf()`);
  await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  let lines: string[] = [];
  // Statements span several log lines; continuation lines carry no prefix and belong to the last prefixed one.
  let keeping = false;
  database.onLog((chunk) => {
    for (const entry of chunk.split('\n')) {
      if (/^\[[^\]]*\] /.test(entry)) keeping = /^\[deskline(-floor)?\] /.test(entry);
      if (!keeping) continue;
      if (/^\[[^\]]*\] /.test(entry) || lines.length === 0) lines.push(entry);
      else lines[lines.length - 1] += ' ' + entry.trim();
    }
  });
  for (const scenario of SCENARIOS) {
    for (const [name, server] of [['ours', ours], ['floor', floor]] as const) {
      if (!server) continue;
      // Twice: the first request of a kind also runs one-time work (prepared metadata, the api key's last_used_at).
      for (let round = 0; round < 2; round++) {
        lines = [];
        const next = scenario.next(context, round + 1);
        const response = await fetch(server.baseUrl + next.path, {
          method: next.method,
          body: next.body,
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        });
        await response.text();
        await new Promise((resolveWait) => setTimeout(resolveWait, 300));
        if (round === 0) continue;
        process.stdout.write(`\n=== ${scenario.name} / ${name}: ${response.status}, ${lines.filter((line) => / (statement|execute [^:]*): /.test(line) && !/ statement: (START TRANSACTION|COMMIT|ROLLBACK)/.test(line)).length} statements (background workers' lines included)\n`);
        for (const line of lines) process.stdout.write(`${line.replace(/\s+/g, ' ').slice(0, Number(process.env.TRACE_WIDTH || 400))}\n`);
      }
    }
  }
  await floor?.stop();
  await ours.stop();
  await database.stop();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
