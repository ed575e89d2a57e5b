import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager } from 'typeorm';
import { CursorValueKind, decodeCursor, encodeCursor, Page } from '../common/pagination/cursor';
import { TicketView } from './dto/ticket.dto';
import { TicketSort } from './dto/list-tickets.query';
import { TicketEntity } from './entities/ticket.entity';
import { PRIORITY_RANK, TicketPriority, TicketStatus, TicketType } from './ticket-lifecycle';
import { NO_SLA_DUE, slaDueCursorValue, TICKET_SLA_NEXT_DUE_SQL } from './ticket-sla-due';
import { TicketReadExtensions, TicketSlaProjection } from './ticket-read-extensions';
import { InvalidCursor } from '../common/errors/domain-errors';

export interface TicketListFilter {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  type?: TicketType[];
  assigneeId?: string;
  teamId?: string;
  /** An organization's id, or "none". */
  organizationId?: string;
  requesterId?: string;
  /** The requester or a CC (internal: the portal's list). */
  participantId?: string;
  tag?: string;
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  slaDueBefore?: string;
  slaBreached?: boolean;
  /** key:value or key:(gte|gt|lte|lt):value conditions on custom fields (list-tickets.query.ts). */
  customField?: string[];
  /** Search box syntax (words and qualifiers); parsed and turned into SQL by the search module. */
  q?: string;
}

// The SLA state is selected with the ticket by SQL the SLA module provides (TicketReadExtensions).
const viewColumns = (sla: TicketSlaProjection) => `
  t.id, t.number, t.subject, t.status, t.priority, t.type, t.tags, t.channel, t.follow_up_of_id, t.merged_into_id, t.custom_fields,
  t.created_at, t.updated_at, t.first_responded_at, t.resolved_at, t.closed_at, t.version, t.priority_rank, t.last_message_sequence,
  t.requester_id, c.name AS requester_name, c.email AS requester_email,
  t.assignee_id, a.name AS assignee_name, t.team_id, tm.name AS team_name, t.organization_id,
  ${sla.stateSql} AS sla_state, ${TICKET_SLA_NEXT_DUE_SQL} AS sla_next_due,
  COALESCE((SELECT json_agg(json_build_object('id', fa.id, 'name', fa.name) ORDER BY f.created_at, f.agent_id)
     FROM ticket_followers f JOIN agents fa ON fa.workspace_id = f.workspace_id AND fa.id = f.agent_id
    WHERE f.workspace_id = t.workspace_id AND f.ticket_id = t.id), '[]'::json) AS followers,
  COALESCE((SELECT json_agg(json_build_object('id', cc.id, 'name', cc.name, 'email', cc.email) ORDER BY x.created_at, x.contact_id)
     FROM ticket_ccs x JOIN contacts cc ON cc.workspace_id = x.workspace_id AND cc.id = x.contact_id
    WHERE x.workspace_id = t.workspace_id AND x.ticket_id = t.id), '[]'::json) AS ccs`;

const VIEW_FROM = `
  FROM tickets t
  JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.requester_id
  LEFT JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.assignee_id
  LEFT JOIN teams tm ON tm.workspace_id = t.workspace_id AND tm.id = t.team_id`;

const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
const LATEST_INSTANT = 8.64e15;

interface SortKey {
  column: string;
  direction: 'ASC' | 'DESC';
  value: (row: TicketRow) => string | number;
  valueKind: CursorValueKind;
  /** The SQL a cursor's sort value is compared as, when it is not the column's own type. */
  cursorParam?: (placeholder: string) => string;
  cursorValue?: (sortValue: string | number) => unknown;
}

const SORTS: Record<TicketSort, SortKey> = {
  createdAt: { column: 't.created_at', direction: 'ASC', valueKind: 'timestamp', value: (row) => row.created_at.toISOString() },
  '-createdAt': { column: 't.created_at', direction: 'DESC', valueKind: 'timestamp', value: (row) => row.created_at.toISOString() },
  updatedAt: { column: 't.updated_at', direction: 'ASC', valueKind: 'timestamp', value: (row) => row.updated_at.toISOString() },
  '-updatedAt': { column: 't.updated_at', direction: 'DESC', valueKind: 'timestamp', value: (row) => row.updated_at.toISOString() },
  priority: { column: 't.priority_rank', direction: 'ASC', valueKind: 'integer', value: (row) => row.priority_rank },
  '-priority': { column: 't.priority_rank', direction: 'DESC', valueKind: 'integer', value: (row) => row.priority_rank },
  // The column holds 'infinity' when no SLA runs, so those tickets sort last and the keyset compares without NULLs.
  slaDueAt: {
    column: 't.sla_next_due_at',
    direction: 'ASC',
    valueKind: 'number',
    value: (row) => Number(row.sla_next_due),
    cursorParam: (placeholder) => `${placeholder}::timestamptz`,
    cursorValue: (sortValue) => {
      // Outside what a Date (and PostgreSQL) can hold, the value was not issued by us.
      if ((sortValue as number) < EARLIEST_INSTANT || ((sortValue as number) > LATEST_INSTANT && (sortValue as number) < NO_SLA_DUE)) throw new InvalidCursor('cursor', 'is not a cursor issued by this API');
      return slaDueCursorValue(sortValue as number);
    },
  },
};

interface TicketRow {
  id: string;
  number: string;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  priority_rank: number;
  type: TicketType | null;
  tags: string[];
  channel: TicketView['channel'];
  follow_up_of_id: string | null;
  merged_into_id: string | null;
  custom_fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  version: number;
  last_message_sequence: number;
  requester_id: string;
  requester_name: string | null;
  requester_email: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  team_id: string | null;
  team_name: string | null;
  organization_id: string | null;
  sla_state: unknown;
  sla_next_due: string;
  followers: Array<{ id: string; name: string }>;
  ccs: Array<{ id: string; name: string | null; email: string | null }>;
}

function toView(row: TicketRow, now: Date, sla: TicketSlaProjection): TicketView {
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
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    team: row.team_id ? { id: row.team_id, name: row.team_name ?? '' } : null,
    organizationId: row.organization_id,
    followUpOfId: row.follow_up_of_id,
    mergedIntoId: row.merged_into_id,
    followers: row.followers,
    ccs: row.ccs,
    customFields: row.custom_fields,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    firstRespondedAt: row.first_responded_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    version: row.version,
    messagesCount: row.last_message_sequence,
    sla: sla.toView(row.sla_state, now),
  };
}

/** The cursor that resumes a list right after this ticket, for GraphQL edges. */
export function ticketCursor(sort: TicketSort, ticket: TicketView): string {
  if (sort === 'slaDueAt') return encodeCursor(sort, { sortValue: nextSlaDue(ticket), id: ticket.id });
  const value = sort.endsWith('priority') ? PRIORITY_RANK[ticket.priority] : (sort.endsWith('updatedAt') ? ticket.updatedAt : ticket.createdAt).toISOString();
  return encodeCursor(sort, { sortValue: value, id: ticket.id });
}

function nextSlaDue(ticket: TicketView): number {
  const due = (ticket.sla?.metrics ?? []).filter((metric) => metric.fulfilledAt === null && metric.dueAt !== null && metric.status !== 'paused');
  return due.length ? Math.min(...due.map((metric) => metric.dueAt!.getTime())) : NO_SLA_DUE;
}

/** SQL for tickets; list queries are keyset-paginated and shaped to be served by the (workspace_id, …) indexes. */
@Injectable()
export class TicketsRepository {
  constructor(
    private readonly clock: Clock,
    private readonly extensions: TicketReadExtensions,
  ) {}

  async findView(manager: EntityManager, workspaceId: string, id: string): Promise<TicketView | null> {
    const sla = this.extensions.sla;
    const rows: TicketRow[] = await manager.query(`SELECT ${viewColumns(sla)} ${VIEW_FROM} WHERE t.workspace_id = $1 AND t.id = $2`, [workspaceId, id]);
    return rows[0] ? toView(rows[0], this.clock.now(), sla) : null;
  }

  async exists(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    const [row] = await manager.query('SELECT 1 FROM tickets WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return Boolean(row);
  }

  /** Reserves `count` event sequences on a row the caller holds locked; resolves the first, or null when it is gone. */
  async reserveEventSequences(manager: EntityManager, workspaceId: string, id: string, count: number): Promise<number | null> {
    const [rows] = await manager.query(
      'UPDATE tickets SET last_event_sequence = last_event_sequence + $3 WHERE workspace_id = $1 AND id = $2 RETURNING last_event_sequence',
      [workspaceId, id, count],
    );
    return rows[0] ? Number(rows[0].last_event_sequence) - count + 1 : null;
  }

  /** Tickets holding a value for a custom field key; with `values`, only those whose value is or contains one of them. */
  async countWithCustomField(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS count FROM tickets WHERE workspace_id = $1 AND jsonb_exists(custom_fields, $2)
         AND ($3::text[] IS NULL OR jsonb_exists_any(custom_fields -> $2, $3::text[]))`,
      [workspaceId, key, values ?? null],
    );
    return Number(row.count);
  }

  /** Up to `limit` tickets holding a value for a custom field key, locked. */
  async lockWithCustomField(manager: EntityManager, workspaceId: string, key: string, limit: number): Promise<TicketEntity[]> {
    return manager
      .createQueryBuilder(TicketEntity, 'ticket')
      .where('ticket.workspace_id = :workspaceId AND jsonb_exists(ticket.custom_fields, :key)', { workspaceId, key })
      .orderBy('ticket.id')
      .limit(limit)
      .setLock('pessimistic_write')
      .getMany();
  }

  async statusOf(manager: EntityManager, workspaceId: string, id: string): Promise<TicketStatus | null> {
    const [row] = await manager.query('SELECT status FROM tickets WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return row?.status ?? null;
  }

  async lock(manager: EntityManager, workspaceId: string, id: string): Promise<TicketEntity | null> {
    return manager.findOne(TicketEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes a change to the locked row; the caller has computed every column it sets. */
  async update(manager: EntityManager, workspaceId: string, id: string, columns: Partial<Omit<TicketEntity, 'workspaceId' | 'id' | 'priorityRank' | 'slaNextDueAt'>>): Promise<void> {
    await manager.update(TicketEntity, { workspaceId, id }, columns);
  }

  async insert(manager: EntityManager, ticket: Omit<TicketEntity, 'priorityRank' | 'slaNextDueAt'>): Promise<void> {
    await manager.insert(TicketEntity, ticket);
  }

  /** The SLA clocks' earliest due time ('infinity' when none runs), kept on the ticket so the queue sorts on an index. */
  async setSlaNextDueAt(manager: EntityManager, workspaceId: string, id: string, nextDueAt: Date | null): Promise<void> {
    await manager.query(
      'UPDATE tickets SET sla_next_due_at = $3::timestamptz WHERE workspace_id = $1 AND id = $2 AND sla_next_due_at IS DISTINCT FROM $3::timestamptz',
      [workspaceId, id, nextDueAt ?? 'infinity'],
    );
  }

  async backdateMessages(manager: EntityManager, workspaceId: string, ticketId: string, times: Array<{ messageId: string; at: string }>): Promise<void> {
    if (times.length === 0) return;
    await manager.query(
      `UPDATE ticket_messages m SET created_at = v.at FROM unnest($3::uuid[], $4::timestamptz[]) AS v(id, at)
        WHERE m.workspace_id = $1 AND m.ticket_id = $2 AND m.id = v.id`,
      [workspaceId, ticketId, times.map((time) => time.messageId), times.map((time) => time.at)],
    );
  }

  /** Taken outside the ticket's transaction so concurrent creations never queue on the workspace row; a rollback leaves a gap, never a reuse. */
  async nextTicketNumber(pool: EntityManager, workspaceId: string): Promise<number> {
    // TypeORM answers UPDATE … RETURNING with [rows, affectedCount].
    const [rows] = await pool.query('UPDATE workspaces SET last_ticket_number = last_ticket_number + 1 WHERE id = $1 RETURNING last_ticket_number', [workspaceId]);
    return Number(rows[0].last_ticket_number);
  }

  async list(
    manager: EntityManager,
    workspaceId: string,
    filter: TicketListFilter,
    options: { sort: TicketSort; limit: number; cursor?: string },
  ): Promise<Page<TicketView>> {
    const params: unknown[] = [workspaceId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = this.filterConditions(filter, param);
    const sla = this.extensions.sla;
    const sort = SORTS[options.sort];
    if (options.cursor) {
      const position = decodeCursor(options.cursor, options.sort, sort.valueKind);
      const comparator = sort.direction === 'ASC' ? '>' : '<';
      const sortValue = sort.cursorValue ? sort.cursorValue(position.sortValue) : position.sortValue;
      const placeholder = param(sortValue);
      where.push(`(${sort.column}, t.id) ${comparator} (${sort.cursorParam ? sort.cursorParam(placeholder) : placeholder}, ${param(position.id)})`);
    }
    const limit = options.limit;
    const now = this.clock.now();
    const rows: TicketRow[] = await manager.query(
      `SELECT ${viewColumns(sla)} ${VIEW_FROM} WHERE ${where.join(' AND ')}
        ORDER BY ${sort.column} ${sort.direction}, t.id ${sort.direction} LIMIT ${param(limit + 1)}`,
      params,
    );
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      data: page.map((row) => toView(row, now, sla)),
      nextCursor: hasMore && last ? encodeCursor(options.sort, { sortValue: sort.value(last), id: last.id }) : null,
    };
  }

  /**
   * How many tickets match each filter, counted up to `cap` (one query for all of them, each count stopping at cap + 1
   * rows so a large workspace costs no more than the cap); a count above the cap comes back as cap + 1.
   */
  async countUpTo(manager: EntityManager, workspaceId: string, filters: TicketListFilter[], cap: number): Promise<number[]> {
    if (filters.length === 0) return [];
    const params: unknown[] = [workspaceId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const limit = param(cap + 1);
    // Only q's conditions read the requester (contacts c); the other filters need the tickets row alone.
    const counts = filters.map((filter, index) =>
      `(SELECT count(*)::int FROM (SELECT 1 FROM tickets t${filter.q ? ' JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.requester_id' : ''}
          WHERE ${this.filterConditions(filter, param).join(' AND ')} LIMIT ${limit}) s) AS c${index}`);
    const [row] = await manager.query(`SELECT ${counts.join(', ')}`, params);
    return filters.map((_, index) => Number(row[`c${index}`]));
  }

  /**
   * The tags on the workspace's tickets that are not closed, starting with `prefix`, with how many unresolved tickets
   * (new, open, pending, on hold) carry each; most used first.
   */
  async tagCounts(manager: EntityManager, workspaceId: string, prefix: string, limit: number): Promise<Array<{ tag: string; openTickets: number }>> {
    const rows: Array<{ tag: string; open_tickets: number }> = await manager.query(
      `SELECT tag, count(*) FILTER (WHERE t.status <> 'resolved')::int AS open_tickets
         FROM tickets t, unnest(t.tags) AS tag
        WHERE t.workspace_id = $1 AND t.status <> 'closed' AND left(tag, length($2)) = $2
        GROUP BY tag ORDER BY open_tickets DESC, tag ASC LIMIT $3`,
      [workspaceId, prefix, limit],
    );
    return rows.map((row) => ({ tag: row.tag, openTickets: row.open_tickets }));
  }

  /** Up to `limit` ids of tickets carrying the tag that are not closed, in id order after `afterId`. */
  async idsCarryingTag(manager: EntityManager, workspaceId: string, tag: string, afterId: string | null, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM tickets WHERE workspace_id = $1 AND tags @> ARRAY[$2]::text[] AND status <> 'closed' AND ($3::uuid IS NULL OR id > $3::uuid)
        ORDER BY id LIMIT $4`,
      [workspaceId, tag, afterId, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The WHERE conditions of a ticket-list filter over `tickets t JOIN contacts c`; `$1` is the workspace. */
  private filterConditions(filter: TicketListFilter, param: (value: unknown) => string): string[] {
    const where = ['t.workspace_id = $1'];
    // One status as an equality lets the (…, status, updated_at, id) indexes return rows already in order.
    if (filter.status?.length === 1) where.push(`t.status = ${param(filter.status[0])}`);
    else if (filter.status?.length) where.push(`t.status = ANY(${param(filter.status)})`);
    if (filter.priority?.length) where.push(`t.priority = ANY(${param(filter.priority)})`);
    if (filter.type?.length) where.push(`t.type = ANY(${param(filter.type)})`);
    if (filter.assigneeId) where.push(filter.assigneeId === 'none' ? 't.assignee_id IS NULL' : `t.assignee_id = ${param(filter.assigneeId)}`);
    if (filter.teamId) where.push(filter.teamId === 'none' ? 't.team_id IS NULL' : `t.team_id = ${param(filter.teamId)}`);
    if (filter.organizationId) where.push(filter.organizationId === 'none' ? 't.organization_id IS NULL' : `t.organization_id = ${param(filter.organizationId)}`);
    if (filter.requesterId) where.push(`t.requester_id = ${param(filter.requesterId)}`);
    for (const condition of filter.customField ?? []) where.push(customFieldCondition(condition, param));
    if (filter.participantId) {
      const contact = param(filter.participantId);
      where.push(`(t.requester_id = ${contact} OR t.id IN (SELECT x.ticket_id FROM ticket_ccs x WHERE x.workspace_id = $1 AND x.contact_id = ${contact}))`);
    }
    if (filter.tag) where.push(`t.tags @> ARRAY[${param(filter.tag.trim().toLowerCase())}]::text[]`);
    if (filter.createdAfter) where.push(`t.created_at >= ${param(filter.createdAfter)}`);
    if (filter.createdBefore) where.push(`t.created_at < ${param(filter.createdBefore)}`);
    if (filter.updatedAfter) where.push(`t.updated_at >= ${param(filter.updatedAfter)}`);
    if (filter.updatedBefore) where.push(`t.updated_at < ${param(filter.updatedBefore)}`);
    if (filter.slaDueBefore) where.push(`t.sla_next_due_at < ${param(filter.slaDueBefore)}::timestamptz`);
    const sla = this.extensions.sla;
    if (filter.slaBreached !== undefined) where.push(filter.slaBreached ? sla.breachedSql : `NOT ${sla.breachedSql}`);
    if (filter.q) where.push(...this.extensions.searchConditions(filter.q, param, '$1'));
    return where;
  }
}

const RANGE_OPERATORS: Record<string, string> = { gte: '>=', gt: '>', lte: '<=', lt: '<' };

/**
 * One custom field condition of the list filter. Equality is JSON containment, which the GIN index over
 * (workspace_id, custom_fields jsonb_path_ops) answers for any key; the value matches as a number or a boolean when it
 * parses as one, otherwise as a string; [a,b] matches a multiselect holding both. Ranges compare numbers numerically and dates
 * (YYYY-MM-DD) as text, reading the workspace's tickets through its indexes.
 */
function customFieldCondition(condition: string, param: (value: unknown) => string): string {
  const separator = condition.indexOf(':');
  const key = condition.slice(0, separator);
  let rest = condition.slice(separator + 1);
  const operator = /^(gte|gt|lte|lt):/.exec(rest)?.[1];
  if (operator) {
    rest = rest.slice(operator.length + 1);
    const sql = RANGE_OPERATORS[operator];
    if (rest.trim() !== '' && Number.isFinite(Number(rest))) {
      return `(jsonb_typeof(t.custom_fields -> ${param(key)}) = 'number' AND (t.custom_fields ->> ${param(key)})::numeric ${sql} ${param(rest)}::numeric)`;
    }
    return `(jsonb_typeof(t.custom_fields -> ${param(key)}) = 'string' AND (t.custom_fields ->> ${param(key)}) ${sql} ${param(rest)})`;
  }
  // One containment per condition, so the planner can answer it from the GIN index alone.
  const value = rest.trim() !== '' && Number.isFinite(Number(rest)) ? Number(rest) : rest === 'true' || rest === 'false' ? rest === 'true' : rest;
  const list = /^\[.*\]$/s.test(rest) ? rest.slice(1, -1).split(',').map((item) => item.trim()).filter(Boolean) : null;
  return `t.custom_fields @> ${param(JSON.stringify({ [key]: list ?? value }))}::jsonb`;
}
