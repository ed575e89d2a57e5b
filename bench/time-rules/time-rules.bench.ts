// npm run bench:time-rules — one pass of 50 time rules over TICKETS (default 1,000,000) seeded tickets: the steady
// state (each rule's previous pass a minute ago, a few tickets newly crossing a bound and fired through the
// ticket-change use case) and, for reference, each rule's first-pass candidate query over its full range.
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app';
import { TimeRuleRunner } from '../../src/automation/time-rules/time-rule-runner';
import { candidateFilter } from '../../src/automation/time-rules/time-rule-candidates';
import { TimeRulesRepository } from '../../src/automation/time-rules/time-rules.repository';
import { loadConfig } from '../../src/config/app-config';
import { runMigrations } from '../../src/database/migrate';
import { seedWorkspace } from '../seed';
import { query, startBenchDatabase } from '../support/database';
import { DataSource } from 'typeorm';

const TICKETS = Number(process.env.TICKETS ?? 1_000_000);
const RULES = 50;
const CROSSING = Number(process.env.CROSSING ?? 50);

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const database = await startBenchDatabase();
  try {
    await runMigrations(database.url);
    const key = `dsk_bench_${randomBytes(16).toString('hex')}`;
    const env = { DATA_DIR: database.dataDir, BOOTSTRAP_API_KEY: key, LOG_LEVEL: 'error', RATE_LIMIT_ENABLED: 'false', TIME_RULES_SCHEDULER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false' };
    const app = await createApp(loadConfig(env), database.url);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = await app.getUrl();
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ id: string }>;
    };

    log(`seeding ${TICKETS} tickets`);
    const { workspaceId } = await seedWorkspace(database.url, 'default', { teams: 20, agents: 100, contacts: 50_000, tickets: TICKETS, messagesPerTicket: 1 }, log);
    let started = performance.now();
    // Seeded rows bypass the change hooks that keep the marks; fill them as the migration's backfill would.
    await query(database.url,
      `INSERT INTO ticket_time_marks (workspace_id, ticket_id, status, priority, created_at, updated_at, status_changed_at, requester_replied_at, agent_replied_at)
       SELECT workspace_id, id, status, priority, created_at, updated_at, updated_at, created_at + interval '1 minute', first_responded_at FROM tickets WHERE workspace_id = $1`,
      [workspaceId]);
    await query(database.url, 'ANALYZE ticket_time_marks');
    log(`  marks (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    const weekdays = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, ['09:00-17:00']]));
    const office = await post('/v1/business-hours', { name: 'Office', timezone: 'UTC', weekly: weekdays });
    // 50 rules in the shapes of the README examples, with different thresholds.
    const kinds = [
      (n: number) => ({ all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: String(2880 + n) }] }),
      (n: number) => ({ all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: String(10080 + n) }] }),
      (n: number) => ({ all: [{ field: 'priority', operator: 'is', value: 'urgent' }, { field: 'status', operator: 'is_not', value: 'pending' }, { field: 'businessMinutesSinceRequesterReply', operator: 'at_least', value: String(30 + n), businessHoursId: office.id }] }),
      (n: number) => ({ all: [{ field: 'status', operator: 'is', value: 'new' }, { field: 'minutesSinceCreated', operator: 'at_least', value: String(60 + n) }, { field: 'tags', operator: 'contains', value: 'billing' }] }),
      (n: number) => ({ all: [{ field: 'status', operator: 'is', value: 'open' }, { field: 'minutesSinceUpdated', operator: 'at_least', value: String(1440 + n) }] }),
    ];
    const rules: Array<{ id: string; conditions: never; updatedAt: string }> = [];
    for (let index = 0; index < RULES; index++) {
      rules.push(await post('/v1/automation-rules', { name: `rule ${index}`, events: ['time'], conditions: kinds[index % kinds.length](index), actions: [{ type: 'add_tags', tags: [`r${index}`] }] }) as never);
    }

    // Reference: each rule's first-pass candidate query over its full range (one batch of 500, nothing fired).
    const repository = app.get(TimeRulesRepository);
    const manager = app.get(DataSource).manager;
    started = performance.now();
    let firstPassCandidates = 0;
    for (const rule of rules) firstPassCandidates += (await repository.candidates(manager, workspaceId, rule.id, candidateFilter(rule.conditions, new Date())!, null, 500)).length;
    log(`first-pass candidate queries, ${RULES} rules, one batch of at most 500 each: ${((performance.now() - started) / 1000).toFixed(2)} s, ${firstPassCandidates} candidates`);

    // Steady state: every rule's previous complete pass was a minute ago; a few tickets just crossed 48 h pending.
    await query(database.url,
      `INSERT INTO time_rule_passes (workspace_id, rule_id, rule_updated_at, evaluated_at) SELECT workspace_id, id, updated_at, now() - interval '1 minute' FROM automation_rules WHERE workspace_id = $1`,
      [workspaceId]);
    await query(database.url,
      `WITH crossing AS (SELECT id FROM tickets WHERE workspace_id = $1 AND status = 'open' ORDER BY number LIMIT $2),
            moved AS (UPDATE tickets t SET status = 'pending' FROM crossing c WHERE t.workspace_id = $1 AND t.id = c.id RETURNING t.id)
       UPDATE ticket_time_marks m SET status = 'pending', status_changed_at = now() - interval '2880 minutes' - random() * interval '50 seconds'
         FROM moved WHERE m.workspace_id = $1 AND m.ticket_id = moved.id`,
      [workspaceId, CROSSING]);
    await query(database.url, 'ANALYZE ticket_time_marks');
    const runner = app.get(TimeRuleRunner);
    const timings: number[] = [];
    for (let round = 0; round < 3; round++) {
      started = performance.now();
      const pass = await runner.runOnce();
      timings.push((performance.now() - started) / 1000);
      log(`steady-state pass ${round + 1}: ${timings[round].toFixed(2)} s for ${pass.rules} rules over ${TICKETS} tickets, ${pass.candidates} candidates read, ${pass.fired} fired`);
    }
    await app.close();
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
