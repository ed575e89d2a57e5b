import { Client } from 'pg';

export interface SeedSizes {
  teams: number;
  agents: number;
  /** Distinct requesters; tickets cycle through them. */
  contacts: number;
  tickets: number;
  messagesPerTicket: number;
}

export interface SeededIds {
  workspaceId: string;
  teamIds: string[];
  agentIds: string[];
  /** The team whose open queue the list scenarios read. */
  listTeamId: string;
}

async function step(log: (line: string) => void, label: string, work: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await work();
  log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Fills one workspace with set-based SQL (generate_series, no API round trips), so a million tickets take minutes,
 * not hours. Distributions are pseudo-random with a fixed seed: about 30% of tickets are open, 20% unassigned.
 */
export async function seedWorkspace(url: string, workspaceSlug: string, sizes: SeedSizes, log: (line: string) => void = () => undefined): Promise<SeededIds> {
  const client = new Client({ connectionString: url, application_name: 'deskline-bench-seed' });
  await client.connect();
  try {
    const [{ id: workspaceId, last_ticket_number: lastNumber }] = (
      await client.query('SELECT id, last_ticket_number FROM workspaces WHERE slug = $1', [workspaceSlug])
    ).rows;
    // Foreign-key triggers dominate bulk inserts; the generated rows are consistent by construction. Needs superuser, so optional.
    const replica = await client.query(`SET session_replication_role = replica`).then(() => true, () => false);
    await client.query('SELECT setseed(0.4242)');
    await client.query('SET maintenance_work_mem = $1', ['256MB']).catch(() => undefined);
    const run = Date.now().toString(36);

    await step(log, `${sizes.teams} teams, ${sizes.agents} agents, ${sizes.contacts} contacts`, async () => {
      await client.query(
        `INSERT INTO teams (workspace_id, id, name) SELECT $1, gen_random_uuid(), 'Bench team ' || $2 || '-' || g FROM generate_series(1, $3) g`,
        [workspaceId, run, sizes.teams],
      );
      await client.query(
        `INSERT INTO agents (workspace_id, id, name, email, role, availability)
         SELECT $1, gen_random_uuid(), 'Agent ' || g, 'agent-' || $2 || '-' || g || '@bench.example', 'agent', 'online' FROM generate_series(1, $3) g`,
        [workspaceId, run, sizes.agents],
      );
      await client.query(
        `INSERT INTO contacts (workspace_id, id, name, email)
         SELECT $1, gen_random_uuid(), 'Requester ' || g, 'requester-' || $2 || '-' || g || '@bench.example' FROM generate_series(1, $3) g`,
        [workspaceId, run, sizes.contacts],
      );
      await client.query(`CREATE TEMP TABLE bench_teams AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM teams WHERE workspace_id = $1 AND name LIKE $2`, [workspaceId, `Bench team ${run}-%`]);
      await client.query(`CREATE TEMP TABLE bench_agents AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM agents WHERE workspace_id = $1 AND email LIKE $2`, [workspaceId, `agent-${run}-%`]);
      await client.query(`CREATE TEMP TABLE bench_contacts AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM contacts WHERE workspace_id = $1 AND email LIKE $2`, [workspaceId, `requester-${run}-%`]);
      for (const table of ['bench_teams', 'bench_agents', 'bench_contacts']) {
        await client.query(`CREATE UNIQUE INDEX ON ${table} (n)`);
        await client.query(`ANALYZE ${table}`);
      }
      await client.query(
        `INSERT INTO team_members (workspace_id, team_id, agent_id)
         SELECT $1, t.id, a.id FROM bench_agents a JOIN bench_teams t ON t.n = 1 + (a.n - 1) % $2`,
        [workspaceId, sizes.teams],
      );
    });

    await step(log, `${sizes.tickets} tickets`, () =>
      client.query(
        `INSERT INTO tickets (workspace_id, id, number, subject, status, priority, type, tags, channel, requester_id, assignee_id, team_id,
                              custom_fields, created_at, updated_at, first_responded_at, resolved_at, closed_at, version,
                              last_message_sequence, last_event_sequence)
         SELECT $1, gen_random_uuid(), $2::bigint + s.g, 'Bench ticket ' || s.g || ': cannot sign in after the update', s.status, s.priority,
                (ARRAY['question', 'incident', 'problem', 'task'])[1 + s.g % 4], CASE WHEN s.g % 5 = 0 THEN ARRAY['billing'] ELSE '{}' END,
                'email', c.id, CASE WHEN s.status = 'new' THEN NULL ELSE a.id END, tm.id, '{}', s.created_at,
                s.created_at + (now() - s.created_at) * s.r_update, CASE WHEN s.status = 'new' THEN NULL ELSE s.created_at + interval '1 hour' END,
                CASE WHEN s.status IN ('resolved', 'closed') THEN now() - interval '1 day' END, CASE WHEN s.status = 'closed' THEN now() - interval '1 hour' END,
                2, $3, 2
           FROM (SELECT g, r_team, r_agent, r_update,
                        CASE WHEN r_status < 0.10 THEN 'new' WHEN r_status < 0.40 THEN 'open' WHEN r_status < 0.55 THEN 'pending'
                             WHEN r_status < 0.60 THEN 'on_hold' WHEN r_status < 0.75 THEN 'resolved' ELSE 'closed' END AS status,
                        CASE WHEN r_priority < 0.15 THEN 'low' WHEN r_priority < 0.75 THEN 'normal' WHEN r_priority < 0.95 THEN 'high' ELSE 'urgent' END AS priority,
                        now() - r_age * interval '365 days' AS created_at
                   FROM (SELECT g, random() AS r_team, random() AS r_agent, random() AS r_update, random() AS r_status, random() AS r_priority, random() AS r_age
                           FROM generate_series(1, $4::int) g) r) s
           JOIN bench_contacts c ON c.n = 1 + (s.g - 1) % $5
           JOIN bench_teams tm ON tm.n = 1 + floor(s.r_team * $6)::int
           LEFT JOIN bench_agents a ON a.n = 1 + floor(s.r_agent * $7 * 1.25)::int`,
        [workspaceId, lastNumber, sizes.messagesPerTicket, sizes.tickets, sizes.contacts, sizes.teams, sizes.agents],
      ),
    );
    await client.query('UPDATE workspaces SET last_ticket_number = last_ticket_number + $2 WHERE id = $1', [workspaceId, sizes.tickets]);

    await step(log, `${sizes.tickets * sizes.messagesPerTicket} messages`, () =>
      client.query(
        `INSERT INTO ticket_messages (workspace_id, id, ticket_id, sequence, body, visibility, author_type, author_id, author_name, created_at)
         SELECT t.workspace_id, gen_random_uuid(), t.id, s, 'Message ' || s || ' on ticket ' || t.number || '. Steps to reproduce follow.',
                CASE WHEN s % 4 = 0 THEN 'internal' ELSE 'public' END, CASE WHEN s % 2 = 1 THEN 'contact' ELSE 'agent' END,
                CASE WHEN s % 2 = 1 THEN t.requester_id ELSE t.assignee_id END, 'Bench', t.created_at + s * interval '1 minute'
           FROM tickets t CROSS JOIN generate_series(1, $2::int) s
          WHERE t.workspace_id = $1 AND t.number > $3`,
        [workspaceId, sizes.messagesPerTicket, lastNumber],
      ),
    );
    if (replica) await client.query('SET session_replication_role = DEFAULT');
    await step(log, 'ANALYZE', () => client.query('ANALYZE teams, agents, team_members, contacts, tickets, ticket_messages'));

    const teamIds = (await client.query('SELECT id FROM bench_teams ORDER BY n')).rows.map((row) => row.id as string);
    const agentIds = (await client.query('SELECT id FROM bench_agents ORDER BY n')).rows.map((row) => row.id as string);
    return { workspaceId, teamIds, agentIds, listTeamId: teamIds[0] };
  } finally {
    await client.end();
  }
}

/** Ticket ids for the read and message scenarios: open tickets, spread so concurrent writers rarely queue on one row lock. */
export async function sampleTicketIds(url: string, workspaceId: string, count: number, status = 'open'): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT id FROM tickets WHERE workspace_id = $1 AND status = $2 ORDER BY number DESC LIMIT $3`,
      [workspaceId, status, count],
    );
    return rows.map((row) => row.id as string);
  } finally {
    await client.end();
  }
}
