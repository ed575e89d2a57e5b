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
  t.created_at, t.updated_at, t.first_responded_at, t.resolved_at, t.closed_at, t.version, t.priority_rank, t.last_message_sequence,
  t.requester_id, c.name AS requester_name, c.email AS requester_email,
  t.assignee_id, a.name AS assignee_name, t.team_id, tm.name AS team_name,
  ${TICKET_SLA_STATE_SQL} AS sla_state, ${TICKET_SLA_NEXT_DUE_SQL} AS sla_next_due`;
const VIEW_FROM = `
  FROM tickets t
  JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.requester_id
  LEFT JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.assignee_id
  LEFT JOIN teams tm ON tm.workspace_id = t.workspace_id AND tm.id = t.team_id`;
const VIEW = `SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE t.workspace_id = $1 AND t.id = $2`;
// Both bench lists ask for one status, which Deskline sends as an equality.
const LIST = `SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE t.workspace_id = $1 AND t.status = $2 AND t.team_id = $3
        ORDER BY t.updated_at DESC, t.id DESC LIMIT $4`;

const NEXT_NUMBER = 'UPDATE workspaces SET last_ticket_number = last_ticket_number + 1 WHERE id = $1 RETURNING last_ticket_number';
const INSERT_CONTACT = `INSERT INTO contacts (workspace_id, id, name, email, metadata, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '{}', $5, $5)
         ON CONFLICT (workspace_id, email) WHERE email IS NOT NULL DO NOTHING
         RETURNING id`;
const CONTACT_BY_EMAIL = `SELECT "ContactEntity"."workspace_id" AS "ContactEntity_workspace_id", "ContactEntity"."id" AS "ContactEntity_id", "ContactEntity"."name" AS "ContactEntity_name", "ContactEntity"."email" AS "ContactEntity_email", "ContactEntity"."phone" AS "ContactEntity_phone", "ContactEntity"."external_id" AS "ContactEntity_external_id", "ContactEntity"."metadata" AS "ContactEntity_metadata", "ContactEntity"."created_at" AS "ContactEntity_created_at", "ContactEntity"."updated_at" AS "ContactEntity_updated_at" FROM "contacts" "ContactEntity" WHERE (("ContactEntity"."workspace_id" = $1) AND ("ContactEntity"."email" = $2)) LIMIT 1`;
const INSERT_TICKET = `INSERT INTO "tickets"("workspace_id", "id", "number", "subject", "status", "priority", "type", "tags", "channel", "requester_id", "assignee_id", "team_id", "follow_up_of_id", "custom_fields", "created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at", "version", "last_message_sequence", "last_event_sequence") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING "sla_next_due_at"`;
const INSERT_MESSAGE = `INSERT INTO "ticket_messages"("workspace_id", "id", "ticket_id", "sequence", "body", "html", "visibility", "author_type", "author_id", "author_name", "created_at") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;
const LOCK_TICKET = `SELECT "TicketEntity"."workspace_id" AS "TicketEntity_workspace_id", "TicketEntity"."id" AS "TicketEntity_id", "TicketEntity"."number" AS "TicketEntity_number", "TicketEntity"."subject" AS "TicketEntity_subject", "TicketEntity"."status" AS "TicketEntity_status", "TicketEntity"."priority" AS "TicketEntity_priority", "TicketEntity"."priority_rank" AS "TicketEntity_priority_rank", "TicketEntity"."type" AS "TicketEntity_type", "TicketEntity"."tags" AS "TicketEntity_tags", "TicketEntity"."channel" AS "TicketEntity_channel", "TicketEntity"."requester_id" AS "TicketEntity_requester_id", "TicketEntity"."assignee_id" AS "TicketEntity_assignee_id", "TicketEntity"."team_id" AS "TicketEntity_team_id", "TicketEntity"."follow_up_of_id" AS "TicketEntity_follow_up_of_id", "TicketEntity"."custom_fields" AS "TicketEntity_custom_fields", "TicketEntity"."created_at" AS "TicketEntity_created_at", "TicketEntity"."updated_at" AS "TicketEntity_updated_at", "TicketEntity"."first_responded_at" AS "TicketEntity_first_responded_at", "TicketEntity"."resolved_at" AS "TicketEntity_resolved_at", "TicketEntity"."closed_at" AS "TicketEntity_closed_at", "TicketEntity"."version" AS "TicketEntity_version", "TicketEntity"."last_message_sequence" AS "TicketEntity_last_message_sequence", "TicketEntity"."last_event_sequence" AS "TicketEntity_last_event_sequence" FROM "tickets" "TicketEntity" WHERE (("TicketEntity"."workspace_id" = $1) AND ("TicketEntity"."id" = $2)) LIMIT 1 FOR UPDATE`;
const UPDATE_AFTER_MESSAGE = `UPDATE "tickets" SET "status" = $1, "first_responded_at" = $2, "resolved_at" = $3, "updated_at" = $4, "version" = $5, "last_message_sequence" = $6, "last_event_sequence" = $7 WHERE ("workspace_id" = $8 AND "id" = $9)`;

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
// The first outbox insert of a transaction carries its one notify.
const INSERT_OUTBOX_NOTIFY = (count: number) => `WITH recorded AS (${INSERT_OUTBOX(count)} RETURNING 1) SELECT pg_notify('deskline_outbox', $${count * 8 + 1})`;
// The SLA clocks kept in step inside every ticket change (ticket change hooks).
const SLA_CURRENT_METRICS = 'SELECT DISTINCT ON (metric) * FROM ticket_sla_metrics WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY metric, cycle DESC';
// SLA policies and automation rules are cached per workspace in Deskline, so neither is read per request.
const SLA_SAVE = (count: number) => `WITH saved AS ( INSERT INTO ticket_sla_metrics (workspace_id, ticket_id, metric, cycle, policy_id, business_hours_id, target_minutes, status, started_at, run_started_at, accumulated_ms, due_at, fulfilled_at, breached_at, warned_at, paused_at, updated_at) VALUES ${Array.from({ length: count }, (_, row) => `($1, $2, ${Array.from({ length: 14 }, (_, col) => `$${5 + row * 14 + col}`).join(', ')}, $4)`).join(', ')} ON CONFLICT (workspace_id, ticket_id, metric, cycle) DO UPDATE SET policy_id = EXCLUDED.policy_id, business_hours_id = EXCLUDED.business_hours_id, target_minutes = EXCLUDED.target_minutes, status = EXCLUDED.status, run_started_at = EXCLUDED.run_started_at, accumulated_ms = EXCLUDED.accumulated_ms, due_at = EXCLUDED.due_at, fulfilled_at = EXCLUDED.fulfilled_at, breached_at = EXCLUDED.breached_at, warned_at = EXCLUDED.warned_at, paused_at = EXCLUDED.paused_at, updated_at = EXCLUDED.updated_at RETURNING 1) UPDATE tickets SET sla_next_due_at = $3::timestamptz WHERE workspace_id = $1 AND id = $2 AND sla_next_due_at IS DISTINCT FROM $3::timestamptz`;
// The bench's tickets are email tickets: a helpdesk reply is queued as outbound mail (channels module) in the same transaction,
// and the answer carries the message's attachments and delivery state.
const EMAIL_THREAD = 'SELECT message_id, direction, mailbox_id FROM email_messages WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_at, id';
const EMAIL_OUTBOUND = `INSERT INTO email_messages (workspace_id, id, message_id, direction, ticket_id, ticket_message_id, mailbox_id, in_reply_to, "references", from_address, to_addresses, subject, delivery_state, next_attempt_at) VALUES ($1, $2, $3, 'outbound', $4, $5, $6, $7, $8, $9, $10, $11, 'queued', now())`;
const MAIL_NOTIFY = `SELECT pg_notify('deskline_mail', $1)`;
const MESSAGE_ATTACHMENTS = 'SELECT id, message_id AS "messageId", file_name AS "fileName", content_type AS "contentType", size_bytes AS size, inline FROM message_attachments WHERE workspace_id = $1 AND message_id = ANY($2) ORDER BY created_at, id';
const MESSAGE_DELIVERY = `SELECT ticket_message_id AS "ticketMessageId", delivery_state AS state, delivery_error AS error, attempt_count AS attempts, sent_at AS "sentAt" FROM email_messages WHERE workspace_id = $1 AND ticket_message_id = ANY($2) AND direction = 'outbound'`;

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
    messagesCount: row.last_message_sequence,
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

app.get('/health', () => ({ status: 'ok' }));

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
  const { rows } = await pool.query(LIST, [principal.workspaceId, request.query.status, request.query.teamId, limit + 1]);
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
      let requester: { id: string; name: string | null; email: string };
      let notified = false;
      if (inserted.rowCount) {
        requester = { id: inserted.rows[0].id, name: input.requester.name ?? null, email };
        const eventId = randomUUID();
        await client.query(INSERT_OUTBOX_NOTIFY(1), [ws, eventId, 'contact.created', 'contact', requester.id, null, envelope(principal, eventId, 'contact.created', now, { contact: requester }), now, ws]);
        notified = true;
      } else {
        const contact = (await client.query(CONTACT_BY_EMAIL, [ws, email])).rows[0];
        requester = { id: contact.ContactEntity_id, name: contact.ContactEntity_name, email: contact.ContactEntity_email };
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
      if (notified) await client.query(INSERT_OUTBOX(2), outboxRows.flat());
      else await client.query(INSERT_OUTBOX_NOTIFY(2), [...outboxRows.flat(), ws]);
      const clocks = ['first_response', 'resolution'].flatMap((metric) => [metric, 1, null, null, null, 'active', now, now, 0, null, null, null, null, null]);
      await client.query(SLA_SAVE(2), [ws, id, 'infinity', now, ...clocks]);
      return ticket;
    });
    return reply.code(201).header('etag', `"${view.version}"`).send(view);
  },
);

app.post<{ Params: { id: string }; Body: { body: string } }>('/v1/tickets/:id/messages', async (request, reply) => {
  const principal = await authenticate(request.headers.authorization);
  if (!principal) return reply.code(401).send({ status: 401 });
  const ws = principal.workspaceId;
  const ticketId = request.params.id;
  const message = await transaction(async (client) => {
    const { rows: locked } = await client.query(LOCK_TICKET, [ws, ticketId]);
    const ticket = locked[0];
    if (!ticket) return null;
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
    await client.query(INSERT_OUTBOX_NOTIFY(1), [ws, eventId, 'ticket.message_created', 'ticket', ticketId, eventSequence,
      envelope(principal, eventId, 'ticket.message_created', recordedAt, { ticket: view, message: created, sequence: eventSequence }), recordedAt, ws]);
    await client.query(SLA_CURRENT_METRICS, [ws, ticketId]);
    if (view.channel === 'email') {
      const { rows: thread } = await client.query(EMAIL_THREAD, [ws, ticketId]);
      const lastInbound = thread.filter((row) => row.direction === 'inbound').pop()?.message_id ?? null;
      await client.query(EMAIL_OUTBOUND, [ws, randomUUID(), `deskline.${randomUUID()}@deskline.invalid`, ticketId, messageId, null, lastInbound, [], null,
        view.requester.email ? [view.requester.email] : [], `Re: ${view.subject}`]);
      await client.query(MAIL_NOTIFY, [ws]);
    }
    return created;
  });
  if (!message) return reply.code(404).send({ status: 404 });
  const [attachments, deliveries] = await Promise.all([pool.query(MESSAGE_ATTACHMENTS, [ws, [message.id]]), pool.query(MESSAGE_DELIVERY, [ws, [message.id]])]);
  const delivery = deliveries.rows[0];
  return reply.code(201).send({ ...message, attachments: attachments.rows, ...(delivery ? { delivery: { state: delivery.state, error: delivery.error, attempts: delivery.attempts, sentAt: delivery.sentAt } } : {}) });
});

// Only the bench's one GraphQL query: the same two statements as Deskline's resolvers (key lookup, list), without GraphQL.
app.post<{ Body: { variables: { team: string } } }>('/graphql', async (request, reply) => {
  const principal = await authenticate(request.headers.authorization);
  if (!principal) return reply.code(401).send({ status: 401 });
  const ws = principal.workspaceId;
  const { rows } = await pool.query(LIST, [ws, 'open', request.body.variables.team, 51]);
  const page = rows.slice(0, 50);
  // Requester, assignee and the message count come from the list row, as in Deskline's resolvers.
  const edges = page.map((row) => ({
    node: {
      id: row.id, number: Number(row.number), subject: row.subject, status: row.status, priority: row.priority, updatedAt: row.updated_at,
      requester: { id: row.requester_id, name: row.requester_name, email: row.requester_email }, assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name } : null,
      messagesCount: row.last_message_sequence,
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
