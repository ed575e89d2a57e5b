import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface OutboxRow {
  workspaceId: string;
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  sequence: number | null;
  envelope: object;
  createdAt: Date;
}

const COLUMNS = 8;

@Injectable()
export class OutboxRepository {
  /**
   * Inserts the rows in the caller's transaction; with `notifyWorkspaceId`, in the same round trip a NOTIFY that
   * PostgreSQL delivers at commit (a data-modifying CTE always runs to completion, so the insert cannot be skipped).
   */
  async insert(manager: EntityManager, rows: OutboxRow[], notifyWorkspaceId: string | null): Promise<void> {
    const values = rows.flatMap((row) => [row.workspaceId, row.id, row.type, row.subjectType, row.subjectId, row.sequence, JSON.stringify(row.envelope), row.createdAt]);
    const placeholders = rows.map((_, row) => `(${Array.from({ length: COLUMNS }, (_, col) => `$${row * COLUMNS + col + 1}`).join(', ')})`).join(', ');
    const insert = `INSERT INTO outbox_events (workspace_id, id, type, subject_type, subject_id, sequence, payload, created_at) VALUES ${placeholders}`;
    if (notifyWorkspaceId === null) {
      await manager.query(insert, values);
      return;
    }
    await manager.query(`WITH recorded AS (${insert} RETURNING 1) SELECT pg_notify('deskline_outbox', $${values.length + 1})`, [...values, notifyWorkspaceId]);
  }
}
