import { Client } from 'pg';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { DataSource } from 'typeorm';
import { seedWorkspace, SeededIds } from '../bench/seed';
import { candidateFilter, sincePrevious } from '../src/automation/time-rules/time-rule-candidates';
import { TimeRulesRepository } from '../src/automation/time-rules/time-rules.repository';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every list the API serves must be answered through an index, or it degrades linearly with the helpdesk's size.
 * The statements are captured from real requests (not copied here), then EXPLAINed over a table seeded and ANALYZEd
 * like a real one, so the planner chooses as it would in production.
 */

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const GUARDED_TABLES = ['tickets', 'ticket_messages', 'ticket_time_marks', 'time_rule_firings'];

function seqScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' && GUARDED_TABLES.includes(node['Relation Name'] ?? '') ? [node['Relation Name']!] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

function summary(node: PlanNode, depth = 0): string {
  const label = `${'  '.repeat(depth)}${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}`;
  return [label, ...(node.Plans ?? []).map((child) => summary(child, depth + 1))].join('\n');
}

describe('query plans of list endpoints', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let seeded: SeededIds;
  let ticketId: string;
  let contactId: string;
  let explainer: Client;

  /** Runs the request and returns the SELECTs it sent that read tickets or their messages. */
  async function statementsOf(send: () => Promise<{ status: number; body: unknown }>): Promise<Array<{ sql: string; params: unknown[] }>> {
    const captured: Array<{ sql: string; params: unknown[] }> = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with .call(this).
    const original = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, sql: string, params?: unknown[], ...rest: unknown[]) {
      captured.push({ sql, params: params ?? [] });
      return (original as (...args: unknown[]) => Promise<unknown>).call(this, sql, params, ...rest);
    } as typeof original;
    try {
      const response = await send();
      expect(response.status).toBe(200);
    } finally {
      PostgresQueryRunner.prototype.query = original;
    }
    return captured.filter(({ sql }) => /^\s*SELECT/i.test(sql) && /\b(tickets|ticket_messages|ticket_events)\b/.test(sql));
  }

  async function expectIndexed(send: () => Promise<{ status: number; body: unknown }>): Promise<void> {
    const statements = await statementsOf(send);
    expect(statements.length).toBeGreaterThan(0);
    for (const { sql, params } of statements) {
      const { rows } = await explainer.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const plan: PlanNode = rows[0]['QUERY PLAN'][0].Plan;
      const scans = seqScans(plan);
      if (scans.length) throw new Error(`Sequential scan of ${scans.join(', ')} in:\n${sql.replace(/\s+/g, ' ')}\n\n${summary(plan)}`);
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    seeded = await seedWorkspace(t.databaseUrl, 'default', { teams: 20, agents: 100, contacts: 5_000, tickets: 40_000, messagesPerTicket: 3 });
    explainer = new Client({ connectionString: t.databaseUrl });
    await explainer.connect();
    const [ticket] = (await explainer.query(`SELECT id, requester_id FROM tickets WHERE workspace_id = $1 AND status = 'open' LIMIT 1`, [seeded.workspaceId])).rows;
    ticketId = ticket.id;
    contactId = ticket.requester_id;
  }, 120_000);
  afterAll(async () => {
    await explainer?.end();
    await t?.close();
  });

  const list = (query: string) => () => t.http.get(`/v1/tickets?${query}`).set(admin);

  it('recognises a sequential scan when there is one', async () => {
    const { rows } = await explainer.query(`EXPLAIN (FORMAT JSON) SELECT id FROM tickets WHERE subject LIKE '%sign in%'`);
    expect(seqScans(rows[0]['QUERY PLAN'][0].Plan)).toEqual(['tickets']);
  });

  it('the agent queue: open tickets of a team, most recently updated first', () => expectIndexed(list(`status=open&teamId=${seeded.listTeamId}&sort=-updatedAt&limit=50`)));
  it('its next page, through the cursor', async () => {
    const first = await t.http.get(`/v1/tickets?status=open&teamId=${seeded.listTeamId}&sort=-updatedAt&limit=50`).set(admin).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    await expectIndexed(list(`status=open&teamId=${seeded.listTeamId}&sort=-updatedAt&limit=50&cursor=${encodeURIComponent(first.body.nextCursor)}`));
  });
  it("an agent's open and pending tickets", () => expectIndexed(list(`status=open,pending&assigneeId=${seeded.agentIds[0]}&sort=-updatedAt`)));
  it('unassigned new tickets', () => expectIndexed(list('status=new&assigneeId=none&sort=-updatedAt')));
  it('all tickets, newest first (the default)', () => expectIndexed(list('')));
  it('all tickets, least recently updated first', () => expectIndexed(list('sort=updatedAt')));
  it('by priority', () => expectIndexed(list('sort=-priority')));
  it('by tag', () => expectIndexed(list('tag=billing')));
  // Custom fields: equality is JSON containment on the GIN index (workspace_id, custom_fields jsonb_path_ops), one index
  // for every key; a range reads the workspace's tickets through a workspace-leading index and filters them (an
  // expression index per heavily used key, ((custom_fields ->> 'key')::numeric), would narrow it further).
  it('by custom field value', () => expectIndexed(list('customField=tier:gold')));
  it('by custom field value and range', () => expectIndexed(list('customField=tier:gold&customField=seats:gte:10')));
  it('the SLA queue: open tickets, next due first', () => expectIndexed(list('status=open&sort=slaDueAt')));
  it("a team's SLA queue, and its next page", async () => {
    const first = await t.http.get(`/v1/tickets?status=open&teamId=${seeded.listTeamId}&sort=slaDueAt&limit=50`).set(admin).expect(200);
    await expectIndexed(list(`status=open&teamId=${seeded.listTeamId}&sort=slaDueAt&limit=50`));
    await expectIndexed(list(`status=open&teamId=${seeded.listTeamId}&sort=slaDueAt&limit=50&cursor=${encodeURIComponent(first.body.nextCursor)}`));
  });
  it('tickets with an SLA metric due soon', () => expectIndexed(list('slaDueBefore=2026-12-01T00:00:00.000Z&sort=slaDueAt')));
  it("a team's tickets, oldest first", () => expectIndexed(list(`teamId=${seeded.listTeamId}&sort=createdAt`)));
  it("a requester's tickets", () => expectIndexed(() => t.http.get(`/v1/contacts/${contactId}/tickets`).set(admin)));
  it("a ticket's conversation", () => expectIndexed(() => t.http.get(`/v1/tickets/${ticketId}/messages`).set(admin)));
  it("a ticket's history", () => expectIndexed(() => t.http.get(`/v1/tickets/${ticketId}/events`).set(admin)));
  it('the GraphQL page of 50 tickets with requester, assignee and message count', () =>
    expectIndexed(() =>
      t.http.post('/graphql').set(admin).send({
        query: `query($team: ID!) { tickets(first: 50, sort: updatedAtDesc, filter: { status: [open], teamId: $team }) {
          edges { node { id requester { id name } assignee { id name } messagesCount } } } }`,
        variables: { team: seeded.listTeamId },
      }),
    ));

  it('the time-rule candidate queries (README examples) of every pass after a rule\'s first', async () => {
    // Seeded rows bypass the change hooks that keep the marks; fill them as the migration's backfill does.
    await explainer.query(
      `INSERT INTO ticket_time_marks (workspace_id, ticket_id, status, priority, created_at, updated_at, status_changed_at, requester_replied_at, agent_replied_at)
       SELECT t.workspace_id, t.id, t.status, t.priority, t.created_at, t.updated_at, t.updated_at,
              (SELECT max(m.created_at) FROM ticket_messages m WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.author_type = 'contact'),
              (SELECT max(m.created_at) FROM ticket_messages m WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.author_type = 'agent' AND m.visibility = 'public')
         FROM tickets t WHERE t.workspace_id = $1 ON CONFLICT DO NOTHING`,
      [seeded.workspaceId],
    );
    const calendar = (await t.http.post('/v1/business-hours').set(admin).send({
      name: 'Plan office', timezone: 'UTC', weekly: Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, ['09:00-17:00']])),
    }).expect(201)).body;
    const examples = [
      { all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: '2880' }] },
      { all: [{ field: 'status', operator: 'is', value: 'pending' }, { field: 'minutesSinceStatusChanged', operator: 'at_least', value: '10080' }] },
      { all: [{ field: 'priority', operator: 'is', value: 'urgent' }, { field: 'status', operator: 'is_not', value: 'pending' }, { field: 'businessMinutesSinceRequesterReply', operator: 'at_least', value: '30', businessHoursId: calendar.id }] },
    ];
    const rules = [];
    for (const conditions of examples) {
      rules.push((await t.http.post('/v1/automation-rules').set(admin).send({ name: `plan ${rules.length}`, events: ['time'], conditions, actions: [{ type: 'add_tags', tags: ['x'] }] }).expect(201)).body);
    }
    // The first rule, and 20 others like it, already fired for every ticket they match, as after a day of passes.
    await explainer.query(
      `INSERT INTO automation_rules (workspace_id, id, name, position, enabled, events, conditions, actions)
       SELECT $1, gen_random_uuid(), 'plan filler ' || g, 1000 + g, true, '{time}', $2::jsonb, '[]' FROM generate_series(1, 20) g`,
      [seeded.workspaceId, JSON.stringify(examples[0])],
    );
    await explainer.query(
      `INSERT INTO time_rule_firings (workspace_id, rule_id, ticket_id, period_start, fired_at)
       SELECT m.workspace_id, r.id, m.ticket_id, m.status_changed_at, now() FROM ticket_time_marks m
         JOIN automation_rules r ON r.workspace_id = m.workspace_id AND (r.id = $2 OR r.name LIKE 'plan filler %')
        WHERE m.workspace_id = $1 AND m.status = 'pending'`,
      [seeded.workspaceId, rules[0].id],
    );
    await explainer.query('ANALYZE ticket_time_marks, time_rule_firings');

    const repository = t.app.get(TimeRulesRepository);
    const manager = t.app.get(DataSource).manager;
    const now = new Date();
    const office = new Map([[calendar.id as string, (await import('../src/sla/business-time')).compileCalendar({ timezone: 'UTC', weekly: calendar.weekly, holidays: [] })]]);
    const captured: Array<{ sql: string; params: unknown[] }> = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with .call(this).
    const original = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, sql: string, params?: unknown[], ...rest: unknown[]) {
      captured.push({ sql, params: params ?? [] });
      return (original as (...args: unknown[]) => Promise<unknown>).call(this, sql, params, ...rest);
    } as typeof original;
    try {
      for (const [index, rule] of rules.entries()) {
        const full = candidateFilter(rule.conditions, now)!;
        await repository.candidates(manager, seeded.workspaceId, rule.id, full, null, 500);
        await repository.candidates(manager, seeded.workspaceId, rule.id, sincePrevious(full, examples[index] as never, new Date(now.getTime() - 60_000), office), null, 500);
      }
    } finally {
      PostgresQueryRunner.prototype.query = original;
    }
    const statements = captured.filter(({ sql }) => /FROM ticket_time_marks/.test(sql));
    expect(statements).toHaveLength(6);
    // Guarded: the query every pass after the first runs (tickets that crossed a bound or changed since). A rule's
    // first pass (odd entries) reads its whole range once and may scan when that range is a large share of the table.
    for (const { sql, params } of statements.filter((_, index) => index % 2 === 1)) {
      expect(sql).toMatch(/m\.updated_at > /);
      const { rows } = await explainer.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const plan: PlanNode = rows[0]['QUERY PLAN'][0].Plan;
      const scans = seqScans(plan);
      if (scans.length) throw new Error(`Sequential scan of ${scans.join(', ')} in:\n${sql.replace(/\s+/g, ' ')}\n\n${summary(plan)}`);
    }
  });
});
