import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface SlaOutcomeCount {
  metric: string;
  priority: string;
  met: number;
  breached: number;
}

@Injectable()
export class SlaReportRepository {
  /** Cycles met or breached within [from, to), by metric and the ticket's priority; cycles without a target are not counted. */
  async outcomesByMetricAndPriority(manager: EntityManager, workspaceId: string, from: Date, to: Date): Promise<SlaOutcomeCount[]> {
    const rows: Array<{ metric: string; priority: string; met: string; breached: string }> = await manager.query(
      `SELECT m.metric, t.priority,
              COUNT(*) FILTER (WHERE m.status = 'fulfilled') AS met,
              COUNT(*) FILTER (WHERE m.status = 'breached') AS breached
         FROM ticket_sla_metrics m
         JOIN tickets t ON t.workspace_id = m.workspace_id AND t.id = m.ticket_id
        WHERE m.workspace_id = $1 AND m.target_minutes IS NOT NULL
          AND ((m.status = 'fulfilled' AND m.fulfilled_at >= $2 AND m.fulfilled_at < $3)
            OR (m.status = 'breached' AND m.breached_at >= $2 AND m.breached_at < $3))
        GROUP BY m.metric, t.priority`,
      [workspaceId, from, to],
    );
    return rows.map((row) => ({ metric: row.metric, priority: row.priority, met: Number(row.met), breached: Number(row.breached) }));
  }
}
