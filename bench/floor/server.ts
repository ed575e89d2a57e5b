import { createHash, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool, PoolClient } from 'pg';
import { TICKET_SLA_NEXT_DUE_SQL, TICKET_SLA_STATE_SQL } from '../../src/sla/ticket-sla-view';

/**
 * The floor: the least a server can do to answer the bench scenarios. Raw Fastify and pg, the same SQL statements in
 * the same order and transaction boundaries as Deskline (checked with `node dist/bench/trace-sql.js`), and nothing
 * else: no Nest, no validation, no ORM, no logging. Deskline's figures are read as a ratio of this one's.
 */

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE || 20),
  application_name: 'deskline-floor',
});

const AUTH = `SELECT k.workspace_id AS "workspaceId", k.id, k.name, k.role, k.scopes, k.agent_id AS "agentId",
              k.last_used_at AS "lastUsedAt", a.name AS "agentName"
         FROM api_keys k LEFT JOIN agents a ON a.workspace_id = k.workspace_id AND a.id = k.agent_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`;

const VIEW_COLUMNS = `
  t.id, t.number, t.subject, t.status, t.priority, t.type, t.tags, t.channel, t.follow_up_of_id, t.custom_fields,
  t.created_at, t.updated_at, t.first_responded_at, t.resolved_at, t.closed_at, t.version, t.priority_rank,
  t.requester_id, c.name AS requester_name, c.email AS requester_email,
  t.assignee_id, a.name AS assignee_name, t.team_id, tm.name AS team_name,
  ${TICKET_SLA_STATE_SQL} AS sla_state, ${TICKET_SLA_NEXT_DUE_SQL} AS sla_next_due`;
const VIEW_FROM = `
  FROM tickets t
  JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.requester_id
  LEFT JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.assignee_id
  LEFT JOIN teams tm ON tm.workspace_id = t.workspace_id AND tm.id = t.team_id`;
const VIEW = `SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE t.workspace_id = $1 AND t.id = $2`;
const LIST = `SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE t.workspace_id = $1 AND t.status = ANY($2) AND t.team_id = $3
        ORDER BY t.updated_at DESC, t.id DESC LIMIT $4`;

const NEXT_NUMBER = 'UPDATE workspaces SET last_ticket_number = last_ticket_number + 1 WHERE id = $1 RETURNING last_ticket_number';
const INSERT_CONTACT = `INSERT INTO contacts (workspace_id, id, name, email, metadata, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '{}', $5, $5)
         ON CONFLICT (workspace_id, email) WHERE email IS NOT NULL DO NOTHING
         RETURNING id`;
const CONTACT_BY_EMAIL = `SELECT "ContactEntity"."workspace_id" AS "ContactEntity_workspace_id", "ContactEntity"."id" AS "ContactEntity_id", "ContactEntity"."name" AS "ContactEntity_name", "ContactEntity"."email" AS "ContactEntity_email", "ContactEntity"."phone" AS "ContactEntity_phone", "ContactEntity"."external_id" AS "ContactEntity_external_id", "ContactEntity"."metadata" AS "ContactEntity_metadata", "ContactEntity"."created_at" AS "ContactEntity_created_at", "ContactEntity"."updated_at" AS "ContactEntity_updated_at" FROM "contacts" "ContactEntity" WHERE (("ContactEntity"."workspace_id" = $1) AND ("ContactEntity"."email" = $2)) LIMIT 1`;
const INSERT_TICKET = `INSERT INTO "tickets"("workspace_id", "id", "number", "subject", "status", "priority", "type", "tags", "channel", "requester_id", "assignee_id", "team_id", "follow_up_of_id", "custom_fields", "created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at", "version", "last_message_sequence", "last_event_sequence") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`;
const INSERT_MESSAGE = `INSERT INTO "ticket_messages"("workspace_id", "id", "ticket_id", "sequence", "body", "html", "visibility", "author_type", "author_id", "author_name", "created_at") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;
const LOCK_TICKET = `SELECT "TicketEntity"."workspace_id" AS "TicketEntity_workspace_id", "TicketEntity"."id" AS "TicketEntity_id", "TicketEntity"."number" AS "TicketEntity_number", "TicketEntity"."subject" AS "TicketEntity_subject", "TicketEntity"."status" AS "TicketEntity_status", "TicketEntity"."priority" AS "TicketEntity_priority", "TicketEntity"."priority_rank" AS "TicketEntity_priority_rank", "TicketEntity"."type" AS "TicketEntity_type", "TicketEntity"."tags" AS "TicketEntity_tags", "TicketEntity"."channel" AS "TicketEntity_channel", "TicketEntity"."requester_id" AS "TicketEntity_requester_id", "TicketEntity"."assignee_id" AS "TicketEntity_assignee_id", "TicketEntity"."team_id" AS "TicketEntity_team_id", "TicketEntity"."follow_up_of_id" AS "TicketEntity_follow_up_of_id", "TicketEntity"."custom_fields" AS "TicketEntity_custom_fields", "TicketEntity"."created_at" AS "TicketEntity_created_at", "TicketEntity"."updated_at" AS "TicketEntity_updated_at", "TicketEntity"."first_responded_at" AS "TicketEntity_first_responded_at", "TicketEntity"."resolved_at" AS "TicketEntity_resolved_at", "TicketEntity"."closed_at" AS "TicketEntity_closed_at", "TicketEntity"."version" AS "TicketEntity_version", "TicketEntity"."last_message_sequence" AS "TicketEntity_last_message_sequence", "TicketEntity"."last_event_sequence" AS "TicketEntity_last_event_sequence" FROM "tickets" "TicketEntity" WHERE (("TicketEntity"."workspace_id" = $1) AND ("TicketEntity"."id" = $2)) LIMIT 1 FOR UPDATE`;
const UPDATE_AFTER_MESSAGE = `UPDATE "tickets" SET "status" = $1, "first_responded_at" = $2, "resolved_at" = $3, "updated_at" = $4, "version" = $5, "last_message_sequence" = $6, "last_event_sequence" = $7 WHERE ("workspace_id" = $8 AND "id" = $9)`;
const CONTACTS_BY_IDS = `SELECT "contact"."workspace_id" AS "contact_workspace_id", "contact"."id" AS "contact_id", "contact"."name" AS "contact_name", "contact"."email" AS "contact_email", "contact"."phone" AS "contact_phone", "contact"."external_id" AS "contact_external_id", "contact"."metadata" AS "contact_metadata", "contact"."created_at" AS "contact_created_at", "contact"."updated_at" AS "contact_updated_at" FROM "contacts" "contact" WHERE "contact"."workspace_id" = $1 AND "contact"."id" = ANY($2)`;
const AGENTS_BY_IDS = `SELECT "agent"."workspace_id" AS "agent_workspace_id", "agent"."id" AS "agent_id", "agent"."name" AS "agent_name", "agent"."email" AS "agent_email", "agent"."role" AS "agent_role", "agent"."availability" AS "agent_availability", "agent"."capacity" AS "agent_capacity", "agent"."created_at" AS "agent_created_at", "agent"."updated_at" AS "agent_updated_at", "agent"."password_hash" IS NOT NULL AS "has_password" FROM "agents" "agent" WHERE "agent"."workspace_id" = $1 AND "agent"."id" = ANY($2)`;
const MESSAGE_COUNTS = 'SELECT id, last_message_sequence AS count FROM tickets WHERE workspace_id = $1 AND id = ANY($2)';

function events(count: number): string {
  return Array.from({ length: count }, (_, row) => `(${Array.from({ length: 11 }, (_, col) => `$${row * 11 + col + 1}`).join(', ')})`).join(', ');
}
function outbox(count: number): string {
  return Array.from({ length: count }, (_, row) => `(${Array.from({ length: 8 }, (_, col) => `$${row * 8 + col + 1}`).join(', ')})`).join(', ');
}
const INSERT_EVENTS = (count: number) =>
  `INSERT INTO "ticket_events"("workspace_id", "id", "ticket_id", "sequence", "type", "actor_type", "actor_id", "actor_name", "changes", "data", "created_at") VALUES ${events(count)}`;
const INSERT_OUTBOX = (count: number) =>
  `INSERT INTO outbox_events (workspace_id, id, type, subject_type, subject_id, sequence, payload, created_at) VALUES ${outbox(count)}`;
const NOTIFY = `SELECT pg_notify('deskline_outbox', $1)`;
// The SLA clocks kept in step inside every ticket change (ticket change hooks).
const SLA_CURRENT_METRICS = 'SELECT DISTINCT ON (metric) * FROM ticket_sla_metrics WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY metric, cycle DESC';
const SLA_POLICIES = `SELECT "SlaPolicyEntity"."workspace_id" AS "SlaPolicyEntity_workspace_id", "SlaPolicyEntity"."id" AS "SlaPolicyEntity_id", "SlaPolicyEntity"."name" AS "SlaPolicyEntity_name", "SlaPolicyEntity"."position" AS "SlaPolicyEntity_position", "SlaPolicyEntity"."business_hours_id" AS "SlaPolicyEntity_business_hours_id", "SlaPolicyEntity"."conditions" AS "SlaPolicyEntity_conditions", "SlaPolicyEntity"."targets" AS "SlaPolicyEntity_targets", "SlaPolicyEntity"."paused_statuses" AS "SlaPolicyEntity_paused_statuses", "SlaPolicyEntity"."created_at" AS "SlaPolicyEntity_created_at", "SlaPolicyEntity"."updated_at" AS "SlaPolicyEntity_updated_at" FROM "sla_policies" "SlaPolicyEntity" WHERE (("SlaPolicyEntity"."workspace_id" = $1)) ORDER BY "SlaPolicyEntity"."position" ASC, "SlaPolicyEntity"."id" ASC`;
const SLA_UPSERT_METRIC = `INSERT INTO ticket_sla_metrics (workspace_id, ticket_id, metric, cycle, policy_id, business_hours_id, target_minutes, status, started_at, run_started_at, accumulated_ms, due_at, fulfilled_at, breached_at, warned_at, paused_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT (workspace_id, ticket_id, metric, cycle) DO UPDATE SET policy_id = EXCLUDED.policy_id, business_hours_id = EXCLUDED.business_hours_id, target_minutes = EXCLUDED.target_minutes, status = EXCLUDED.status, run_started_at = EXCLUDED.run_started_at, accumulated_ms = EXCLUDED.accumulated_ms, due_at = EXCLUDED.due_at, fulfilled_at = EXCLUDED.fulfilled_at, breached_at = EXCLUDED.breached_at, warned_at = EXCLUDED.warned_at, paused_at = EXCLUDED.paused_at, updated_at = EXCLUDED.updated_at`;
const SLA_STATE = `SELECT ${TICKET_SLA_STATE_SQL} AS sla_state FROM tickets t WHERE t.workspace_id = $1 AND t.id = $2`;

interface Principal {
  workspaceId: string;
  actor: { type: string; id: string; name: string };
}

async function authenticate(header: string | undefined): Promise<Principal | null> {
  const key = header?.startsWith('Bearer ') ? header.slice(7) : null;
  if (!key) return null;
  const { rows } = await pool.query(AUTH, [createHash('sha256').update(key).digest('hex')]);
  const row = rows[0];
  if (!row) return null;
  return { workspaceId: row.workspaceId, actor: row.agentId ? { type: 'agent', id: row.agentId, name: row.agentName } : { type: 'api_key', id: row.id, name: row.name } };
}

function toView(row: Record<string, any>) {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    type: row.type,
    tags: row.tags,
    channel: row.channel,
    requester: { id: row.requester_id, name: row.requester_name, email: row.requester_email },
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name } : null,
    team: row.team_id ? { id: row.team_id, name: row.team_name } : null,
    followUpOfId: row.follow_up_of_id,
    customFields: row.custom_fields,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    firstRespondedAt: row.first_responded_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    version: row.version,
  };
}

function envelope(principal: Principal, id: string, type: string, createdAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ id, type, version: 1, createdAt: createdAt.toISOString(), workspaceId: principal.workspaceId, data: { ...data, actor: principal.actor } });
}

async function transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.get('/health', async () => ({ status: 'ok' }));

app.get<{ Params: { id: string } }>('/v1/tickets/:id', async (request, reply) => {
  const principal = await authenticate(request.headers.authorization);
  if (!principal) return reply.code(401).send({ status: 401 });
  const { rows } = await pool.query(VIEW, [principal.workspaceId, request.params.id]);
  if (!rows[0]) return reply.code(404).send({ status: 404 });
  return toView(rows[0]);
});

app.get<{ Querystring: { status: string; teamId: string; limit: string } }>('/v1/tickets', async (request, reply) => {
  const principal = await authenticate(request.headers.authorization);
  if (!principal) return reply.code(401).send({ status: 401 });
  const limit = Number(request.query.limit ?? 25);
  const { rows } = await pool.query(LIST, [principal.workspaceId, request.query.status.split(','), request.query.teamId, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toView),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.updated_at, last.id])).toString('base64url') : null,
  };
});

app.post<{ Body: { subject: string; requester: { email: string; name?: string }; message: { body: string }; priority?: string; tags?: string[] } }>(
  '/v1/tickets',
  async (request, reply) => {
    const principal = await authenticate(request.headers.authorization);
    if (!principal) return reply.code(401).send({ status: 401 });
    const input = request.body;
    const { rows: numbered } = await pool.query(NEXT_NUMBER, [principal.workspaceId]);
    const view = await transaction(async (client) => {
      const ws = principal.workspaceId;
      const now = new Date();
      const email = input.requester.email.toLowerCase();
      const inserted = await client.query(INSERT_CONTACT, [ws, randomUUID(), input.requester.name ?? null, email, now]);
      const { rows: contacts } = await client.query(CONTACT_BY_EMAIL, [ws, email]);
      const contact = contacts[0];
      const requester = { id: contact.ContactEntity_id, name: contact.ContactEntity_name, email: contact.ContactEntity_email };
      if (inserted.rowCount) {
        const eventId = randomUUID();
        await client.query(INSERT_OUTBOX(1), [ws, eventId, 'contact.created', 'contact', requester.id, null, envelope(principal, eventId, 'contact.created', now, { contact: requester }), now]);
        await client.query(NOTIFY, [ws]);
      }
      const id = randomUUID();
      const tags = [...new Set((input.tags ?? []).map((tag) => tag.trim().toLowerCase()))];
      await client.query(INSERT_TICKET, [ws, id, String(numbered[0].last_ticket_number), input.subject, 'new', input.priority ?? 'normal', null, tags, 'api',
        requester.id, null, null, null, '{}', now, now, null, null, null, 1, 1, 2]);
      const messageId = randomUUID();
      const author = { type: 'contact', id: requester.id, name: requester.name ?? requester.email };
      await client.query(INSERT_MESSAGE, [ws, messageId, id, 1, input.message.body, null, 'public', author.type, author.id, author.name, now]);
      const message = { id: messageId, ticketId: id, sequence: 1, body: input.message.body, html: null, visibility: 'public', author, createdAt: now };
      const ticket = toView((await client.query(VIEW, [ws, id])).rows[0]);
      const recordedAt = new Date();
      const kinds: Array<[string, Record<string, unknown>]> = [['ticket.created', {}], ['ticket.message_created', { message }]];
      const eventRows = kinds.map(([type, data], index) => [ws, randomUUID(), id, index + 1, type, principal.actor.type, principal.actor.id, principal.actor.name, '{}', JSON.stringify(data), recordedAt]);
      await client.query(INSERT_EVENTS(2), eventRows.flat());
      const outboxRows = kinds.map(([type, data], index) => {
        const eventId = randomUUID();
        return [ws, eventId, type, 'ticket', id, index + 1, envelope(principal, eventId, type, recordedAt, { ticket, ...data, sequence: index + 1 }), recordedAt];
      });
      await client.query(INSERT_OUTBOX(2), outboxRows.flat());
      await client.query(NOTIFY, [ws]);
      await client.query(SLA_CURRENT_METRICS, [ws, id]);
      await client.query(SLA_POLICIES, [ws]);
      for (const metric of ['first_response', 'resolution']) {
        await client.query(SLA_UPSERT_METRIC, [ws, id, metric, 1, null, null, null, 'active', now, now, 0, null, null, null, null, null, now]);
      }
      await client.query(SLA_STATE, [ws, id]);
      return toView((await client.query(VIEW, [ws, id])).rows[0]);
    });
    return reply.code(201).header('etag', `"${view.version}"`).send(view);
  },
);

app.post<{ Params: { id: string }; Body: { body: string } }>('/v1/tickets/:id/messages', async (request, reply) => {
  const principal = await authenticate(request.headers.authorization);
  if (!principal) return reply.code(401).send({ status: 401 });
  const ws = principal.workspaceId;
  const ticketId = request.params.id;
  const { rows: existing } = await pool.query(VIEW, [ws, ticketId]);
  if (!existing[0]) return reply.code(404).send({ status: 404 });
  const message = await transaction(async (client) => {
    const { rows: locked } = await client.query(LOCK_TICKET, [ws, ticketId]);
    const ticket = locked[0];
    const now = new Date();
    const author = { type: 'system', id: principal.actor.id, name: principal.actor.name };
    const sequence = ticket.TicketEntity_last_message_sequence + 1;
    const messageId = randomUUID();
    await client.query(INSERT_MESSAGE, [ws, messageId, ticketId, sequence, request.body.body, null, 'public', author.type, author.id, author.name, now]);
    const created = { id: messageId, ticketId, sequence, body: request.body.body, html: null, visibility: 'public', author, createdAt: now };
    const status = ticket.TicketEntity_status === 'new' ? 'open' : ticket.TicketEntity_status;
    const eventSequence = ticket.TicketEntity_last_event_sequence + 1;
    await client.query(UPDATE_AFTER_MESSAGE, [status, ticket.TicketEntity_first_responded_at ?? now, ticket.TicketEntity_resolved_at, now,
      ticket.TicketEntity_version + 1, sequence, eventSequence, ws, ticketId]);
    const view = toView((await client.query(VIEW, [ws, ticketId])).rows[0]);
    const recordedAt = new Date();
    await client.query(INSERT_EVENTS(1), [ws, randomUUID(), ticketId, eventSequence, 'ticket.message_created', principal.actor.type, principal.actor.id,
      principal.actor.name, '{}', JSON.stringify({ message: created }), recordedAt]);
    const eventId = randomUUID();
    await client.query(INSERT_OUTBOX(1), [ws, eventId, 'ticket.message_created', 'ticket', ticketId, eventSequence,
      envelope(principal, eventId, 'ticket.message_created', recordedAt, { ticket: view, message: created, sequence: eventSequence }), recordedAt]);
    await client.query(NOTIFY, [ws]);
    await client.query(SLA_CURRENT_METRICS, [ws, ticketId]);
    await client.query(SLA_POLICIES, [ws]);
    return created;
  });
  return reply.code(201).send(message);
});

// Only the bench's one GraphQL query: the same four statements as Deskline's resolvers and DataLoaders, without GraphQL.
app.post<{ Body: { variables: { team: string } } }>('/graphql', async (request, reply) => {
  const principal = await authenticate(request.headers.authorization);
  if (!principal) return reply.code(401).send({ status: 401 });
  const ws = principal.workspaceId;
  const { rows } = await pool.query(LIST, [ws, ['open'], request.body.variables.team, 51]);
  const page = rows.slice(0, 50);
  const requesterIds = [...new Set(page.map((row) => row.requester_id as string))];
  const assigneeIds = [...new Set(page.filter((row) => row.assignee_id).map((row) => row.assignee_id as string))];
  const [contacts, agents, counts] = await Promise.all([
    pool.query(CONTACTS_BY_IDS, [ws, requesterIds]),
    assigneeIds.length ? pool.query(AGENTS_BY_IDS, [ws, assigneeIds]) : Promise.resolve({ rows: [] as any[] }),
    pool.query(MESSAGE_COUNTS, [ws, page.map((row) => row.id)]),
  ]);
  const contactById = new Map(contacts.rows.map((row) => [row.contact_id, { id: row.contact_id, name: row.contact_name, email: row.contact_email }]));
  const agentById = new Map(agents.rows.map((row) => [row.agent_id, { id: row.agent_id, name: row.agent_name }]));
  const countById = new Map(counts.rows.map((row) => [row.id, row.count]));
  const edges = page.map((row) => ({
    node: {
      id: row.id, number: Number(row.number), subject: row.subject, status: row.status, priority: row.priority, updatedAt: row.updated_at,
      requester: contactById.get(row.requester_id) ?? null, assignee: row.assignee_id ? agentById.get(row.assignee_id) ?? null : null,
      messagesCount: countById.get(row.id) ?? 0,
    },
  }));
  return { data: { tickets: { edges, pageInfo: { hasNextPage: rows.length > 50, endCursor: null } } } };
});

app
  .listen({ port: Number(process.env.PORT || 3100), host: process.env.HOST || '127.0.0.1' })
  .then((address) => process.stdout.write(`floor listening on ${address}\n`))
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
