import { EntityManager } from 'typeorm';

/**
 * A workspace's list of rows tried in order of `position` (SLA policies, automation rules). Positions are unique and
 * contiguous, 0..n-1: taking a place shifts the rows from there on, leaving one closes the gap, and a position past
 * the end appends. Every change holds the list's lock for the rest of its transaction, so concurrent changes of one
 * workspace's list take turns instead of computing the same position; the table's deferrable unique constraint on
 * (workspace_id, position) is the backstop.
 */
export class OrderedList {
  /** `table` is a constant of the owning module (never input): a table with workspace_id, id and position. */
  constructor(private readonly table: string) {}

  /** Take this first in every mutation of the list, before any row lock, so the lock order is the same everywhere. */
  async lock(manager: EntityManager, workspaceId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.table}:${workspaceId}`]);
  }

  /** Makes room for a new row and returns its position: the one asked for, or the end when omitted or beyond it. */
  async makeRoom(manager: EntityManager, workspaceId: string, requested: number | undefined): Promise<number> {
    const size = await this.size(manager, workspaceId);
    const position = requested === undefined ? size : Math.min(requested, size);
    if (position < size) await manager.query(`UPDATE ${this.table} SET position = position + 1 WHERE workspace_id = $1 AND position >= $2`, [workspaceId, position]);
    return position;
  }

  /** Moves a row and shifts the ones between; returns where it landed (the last place when asked beyond the end). */
  async move(manager: EntityManager, workspaceId: string, id: string, from: number, requested: number): Promise<number> {
    const to = Math.min(requested, (await this.size(manager, workspaceId)) - 1);
    if (to === from) return to;
    // One statement, so the unique constraint is checked once the whole list has shifted.
    await manager.query(
      `UPDATE ${this.table} SET position = CASE WHEN id = $2 THEN $4::int WHEN $4::int < $3::int THEN position + 1 ELSE position - 1 END
        WHERE workspace_id = $1 AND position BETWEEN LEAST($3::int, $4::int) AND GREATEST($3::int, $4::int)`,
      [workspaceId, id, from, to],
    );
    return to;
  }

  /** After a row at `position` is deleted, the rows after it move up one. */
  async closeGap(manager: EntityManager, workspaceId: string, position: number): Promise<void> {
    await manager.query(`UPDATE ${this.table} SET position = position - 1 WHERE workspace_id = $1 AND position > $2`, [workspaceId, position]);
  }

  private async size(manager: EntityManager, workspaceId: string): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS size FROM ${this.table} WHERE workspace_id = $1`, [workspaceId]);
    return row.size;
  }
}
