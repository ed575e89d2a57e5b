import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AutomationRuleEntity } from '../entities/automation-rule.entity';
import { TimeMark, TimeMarks } from '../rule-conditions';
import { CandidateFilter } from './time-rule-candidates';

/** The column of each mark; only these names are ever put into SQL text. */
const COLUMN: Record<TimeMark, string> = {
  createdAt: 'created_at', updatedAt: 'updated_at', statusChangedAt: 'status_changed_at', requesterRepliedAt: 'requester_replied_at', agentRepliedAt: 'agent_replied_at',
};

export interface MarksUpdate {
  ticketId: string;
  status: string;
  priority: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the change moved the status (or created the ticket); otherwise the stored instant stays. */
  statusChangedAt: Date | null;
  requesterRepliedAt: Date | null;
  agentRepliedAt: Date | null;
}

export interface TimeRuleCandidate {
  ticketId: string;
  periodStart: Date;
}

@Injectable()
export class TimeRulesRepository {
  /** Keeps a ticket's marks current, in the transaction of the change that moved them. */
  async recordMarks(manager: EntityManager, workspaceId: string, marks: MarksUpdate): Promise<void> {
    await manager.query(
      `INSERT INTO ticket_time_marks (workspace_id, ticket_id, status, priority, created_at, updated_at, status_changed_at, requester_replied_at, agent_replied_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, COALESCE($7::timestamptz, $5::timestamptz), $8::timestamptz, $9::timestamptz)
       ON CONFLICT (workspace_id, ticket_id) DO UPDATE SET
         status = EXCLUDED.status, priority = EXCLUDED.priority, updated_at = EXCLUDED.updated_at,
         status_changed_at = COALESCE($7::timestamptz, ticket_time_marks.status_changed_at),
         requester_replied_at = GREATEST(ticket_time_marks.requester_replied_at, EXCLUDED.requester_replied_at),
         agent_replied_at = GREATEST(ticket_time_marks.agent_replied_at, EXCLUDED.agent_replied_at)`,
      [workspaceId, marks.ticketId, marks.status, marks.priority, marks.createdAt, marks.updatedAt, marks.statusChangedAt, marks.requesterRepliedAt, marks.agentRepliedAt],
    );
  }

  async marks(manager: EntityManager, workspaceId: string, ticketId: string): Promise<TimeMarks | null> {
    const [row] = await manager.query(
      `SELECT created_at, updated_at, status_changed_at, requester_replied_at, agent_replied_at FROM ticket_time_marks WHERE workspace_id = $1 AND ticket_id = $2`,
      [workspaceId, ticketId],
    );
    if (!row) return null;
    return {
      createdAt: row.created_at, updatedAt: row.updated_at, statusChangedAt: row.status_changed_at, requesterRepliedAt: row.requester_replied_at, agentRepliedAt: row.agent_replied_at,
    };
  }

  /** Every enabled time rule of every workspace, in the order they run within a workspace. */
  enabledTimeRules(manager: EntityManager): Promise<AutomationRuleEntity[]> {
    return manager
      .createQueryBuilder(AutomationRuleEntity, 'rule')
      .where(`rule.enabled AND 'time' = ANY(rule.events)`)
      .orderBy('rule.workspace_id', 'ASC')
      .addOrderBy('rule.position', 'ASC')
      .addOrderBy('rule.id', 'ASC')
      .getMany();
  }

  /**
   * The tickets a time rule can match, with the start of their current period, leaving out those it already fired
   * for in that period: one indexed range per rule (status and the at_least bound lead the index), in ticket id order
   * from `after`.
   */
  async candidates(manager: EntityManager, workspaceId: string, ruleId: string, filter: CandidateFilter, after: string | null, limit: number): Promise<TimeRuleCandidate[]> {
    const params: unknown[] = [workspaceId, ruleId, filter.statuses];
    const where = ['m.workspace_id = $1', 'm.status = ANY($3::text[])'];
    const param = (value: unknown): string => `$${params.push(value)}`;
    if (filter.priorities) where.push(`m.priority = ANY(${param(filter.priorities)}::text[])`);
    for (const { mark, at } of filter.atMost) where.push(`m.${COLUMN[mark]} <= ${param(at)}`);
    for (const { mark, at } of filter.laterThan) where.push(`m.${COLUMN[mark]} > ${param(at)}`);
    if (filter.since) {
      const recent = [...filter.since.crossed.map(({ mark, after: at }) => `m.${COLUMN[mark]} > ${param(at)}`), `m.updated_at > ${param(filter.since.updatedAfter)}`];
      where.push(`(${recent.join(' OR ')})`);
    }
    if (after) where.push(`m.ticket_id > ${param(after)}`);
    const period = filter.periodMarks.length === 1 ? `m.${COLUMN[filter.periodMarks[0]]}` : `GREATEST(${filter.periodMarks.map((mark) => `m.${COLUMN[mark]}`).join(', ')})`;
    const rows: Array<{ ticket_id: string; period_start: Date }> = await manager.query(
      `SELECT m.ticket_id, ${period} AS period_start FROM ticket_time_marks m
       WHERE ${where.join(' AND ')}
         AND NOT EXISTS (SELECT 1 FROM time_rule_firings f WHERE f.workspace_id = m.workspace_id AND f.rule_id = $2 AND f.ticket_id = m.ticket_id AND f.period_start = ${period})
       ORDER BY m.ticket_id LIMIT ${param(limit)}`,
      params,
    );
    return rows.map((row) => ({ ticketId: row.ticket_id, periodStart: row.period_start }));
  }

  /** When the rule's last complete pass ran, for the rule as it was then (an edited rule starts over). */
  async lastPass(manager: EntityManager, workspaceId: string, ruleId: string, ruleUpdatedAt: Date): Promise<Date | null> {
    const [row] = await manager.query(
      `SELECT evaluated_at FROM time_rule_passes WHERE workspace_id = $1 AND rule_id = $2 AND rule_updated_at = $3`,
      [workspaceId, ruleId, ruleUpdatedAt],
    );
    return row ? (row.evaluated_at as Date) : null;
  }

  async recordPass(manager: EntityManager, workspaceId: string, ruleId: string, ruleUpdatedAt: Date, evaluatedAt: Date): Promise<void> {
    await manager.query(
      `INSERT INTO time_rule_passes (workspace_id, rule_id, rule_updated_at, evaluated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, rule_id) DO UPDATE SET rule_updated_at = EXCLUDED.rule_updated_at, evaluated_at = EXCLUDED.evaluated_at
       WHERE time_rule_passes.rule_updated_at <> EXCLUDED.rule_updated_at OR time_rule_passes.evaluated_at < EXCLUDED.evaluated_at`,
      [workspaceId, ruleId, ruleUpdatedAt, evaluatedAt],
    );
  }

  /**
   * Records that the rule fires for the ticket in the period starting at `periodStart`; false when it already has
   * (another instance's uncommitted claim makes this wait for that transaction, then answer false).
   */
  async claimFiring(manager: EntityManager, workspaceId: string, ruleId: string, ticketId: string, periodStart: Date, firedAt: Date): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO time_rule_firings (workspace_id, rule_id, ticket_id, period_start, fired_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING rule_id`,
      [workspaceId, ruleId, ticketId, periodStart, firedAt],
    );
    return rows.length === 1;
  }
}
