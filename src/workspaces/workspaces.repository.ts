import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

const BOOTSTRAP_LOCK = 4242_0002;

export interface NewWorkspace {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

@Injectable()
export class WorkspacesRepository {
  /** Serialises first boots of several instances for the rest of the transaction. */
  async lockBootstrap(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
  }

  async count(manager: EntityManager): Promise<number> {
    const [{ count }]: Array<{ count: number }> = await manager.query('SELECT count(*)::int AS count FROM workspaces');
    return count;
  }

  async slugOf(manager: EntityManager, id: string): Promise<string | null> {
    const [row]: Array<{ slug: string }> = await manager.query('SELECT slug FROM workspaces WHERE id = $1', [id]);
    return row?.slug ?? null;
  }

  /**
   * False when the slug is taken. ON CONFLICT rather than catching the unique violation: an idempotent request runs
   * inside one transaction, which a failed statement would abort for the next slug tried.
   */
  async insertUnlessSlugTaken(manager: EntityManager, workspace: NewWorkspace): Promise<boolean> {
    const inserted: Array<{ id: string }> = await manager.query(
      'INSERT INTO workspaces (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (slug) DO NOTHING RETURNING id',
      [workspace.id, workspace.slug, workspace.name, workspace.createdAt],
    );
    return inserted.length > 0;
  }
}
