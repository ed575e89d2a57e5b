import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from './event-catalogue';

/** Which committed events a read returns; every part narrows, none widens. */
export interface FeedSelection {
  /** Exact type names; with `typePrefixes`, an event matches either. Both empty means every type. */
  types: string[];
  /** `ticket.` for `ticket.*`. */
  typePrefixes: string[];
  excludedTypes: string[];
  subjectId: string | null;
  /** Ticket events whose ticket has this requester, or this contact as a CC (the portal). */
  requesterId: string | null;
}

export interface FeedRow {
  position: string;
  subjectType: string;
  subjectId: string;
  envelope: EventEnvelope;
}

export interface FeedRead {
  rows: FeedRow[];
  /** The workspace's last committed position this read saw; every event up to it is visible to the read. */
  head: string;
  prunedThrough: string;
}

/**
 * Reads of the outbox in feed order (outbox_events.feed_position, given at commit: see the EventFeed migration).
 * The head is read in the same statement, hence the same snapshot, as the rows: a read that sees head h sees every
 * event up to h, so a caller may move its cursor to h past events its selection left out.
 */
@Injectable()
export class EventFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async read(workspaceId: string, after: string, selection: FeedSelection, limit: number, manager: EntityManager = this.dataSource.manager): Promise<FeedRead> {
    const params: unknown[] = [workspaceId, after, limit];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (selection.types.length || selection.typePrefixes.length) {
      const anyOf = [];
      if (selection.types.length) anyOf.push(`e.type = ANY(${param(selection.types)}::text[])`);
      if (selection.typePrefixes.length) anyOf.push(`e.type LIKE ANY(${param(selection.typePrefixes.map((prefix) => prefix.replace(/[\\%_]/g, '\\$&') + '%'))}::text[])`);
      where.push(`(${anyOf.join(' OR ')})`);
    }
    if (selection.excludedTypes.length) where.push(`e.type <> ALL(${param(selection.excludedTypes)}::text[])`);
    if (selection.subjectId) where.push(`e.subject_id = ${param(selection.subjectId)}::uuid`);
    if (selection.requesterId) {
      // The requester's tickets and the ones they are copied on (CC).
      const contact = param(selection.requesterId);
      where.push(`e.subject_type = 'ticket' AND (e.payload->'data'->'ticket'->'requester'->>'id' = ${contact}
        OR e.payload->'data'->'ticket'->'ccs' @> jsonb_build_array(jsonb_build_object('id', ${contact}::text)))`);
    }
    const [result] = await manager.query(
      `SELECT COALESCE(h.position, 0)::text AS head, COALESCE(h.pruned_through, 0)::text AS "prunedThrough",
              COALESCE((SELECT json_agg(json_build_object('position', r.feed_position::text, 'subjectType', r.subject_type, 'subjectId', r.subject_id, 'envelope', r.payload) ORDER BY r.feed_position)
                          FROM (SELECT e.feed_position, e.subject_type, e.subject_id, e.payload FROM outbox_events e
                                 WHERE e.workspace_id = $1 AND e.feed_position > $2::bigint ${where.map((clause) => `AND ${clause}`).join(' ')}
                                 ORDER BY e.feed_position LIMIT $3) r), '[]') AS rows
         FROM (SELECT 1) one LEFT JOIN event_feed_heads h ON h.workspace_id = $1`,
      params,
    );
    return { rows: result.rows, head: result.head, prunedThrough: result.prunedThrough };
  }

  /** Each listed workspace's last committed feed position ('0' when it has none yet). */
  async heads(workspaceIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ workspace_id: string; position: string }> = await this.dataSource.query(
      `SELECT w.id AS workspace_id, COALESCE(h.position, 0)::text AS position
         FROM unnest($1::uuid[]) AS w(id) LEFT JOIN event_feed_heads h ON h.workspace_id = w.id`,
      [workspaceIds],
    );
    return new Map(rows.map((row) => [row.workspace_id, row.position]));
  }

  /** Deletes up to `batch` events created before `before`, and records per workspace how far the feed was cut. */
  async prune(before: Date, batch: number): Promise<number> {
    const [result] = await this.dataSource.query(
      `WITH doomed AS (
         SELECT workspace_id, id FROM outbox_events WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), deleted AS (
         DELETE FROM outbox_events e USING doomed d WHERE e.workspace_id = d.workspace_id AND e.id = d.id
         RETURNING e.workspace_id, e.feed_position
       ), cut AS (
         UPDATE event_feed_heads h SET pruned_through = GREATEST(h.pruned_through, c.through)
           FROM (SELECT workspace_id, max(feed_position) AS through FROM deleted GROUP BY workspace_id) c
          WHERE h.workspace_id = c.workspace_id
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM deleted)::int AS deleted, (SELECT count(*) FROM cut)::int AS cut`,
      [before, batch],
    );
    return result.deleted;
  }
}
