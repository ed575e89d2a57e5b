import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination/cursor';
import { pageByCreation } from '../common/pagination/keyset';
import { ContactEntity } from './entities/contact.entity';

export interface ContactFilter {
  email?: string;
  externalId?: string;
  /** Prefix of the name or email, matched case-insensitively. */
  namePrefix?: string;
  /** An organization's id, or null for contacts without one. */
  organizationId?: string | null;
}

export type ContactChange = Partial<Pick<ContactEntity, 'name' | 'email' | 'phone' | 'externalId' | 'organizationId' | 'metadata' | 'customFields' | 'updatedAt'>>;

/** LIKE's own wildcards in user text match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

@Injectable()
export class ContactsRepository {
  /** Newest first. */
  page(manager: EntityManager, workspaceId: string, filter: ContactFilter, page: { limit?: number; cursor?: string }): Promise<Page<ContactEntity>> {
    const query = manager.createQueryBuilder(ContactEntity, 'contact').where('contact.workspace_id = :workspaceId', { workspaceId });
    if (filter.email !== undefined) query.andWhere('contact.email = :email', { email: filter.email });
    if (filter.externalId !== undefined) query.andWhere('contact.external_id = :externalId', { externalId: filter.externalId });
    if (filter.namePrefix !== undefined) {
      query.andWhere('(contact.name ILIKE :prefix OR contact.email ILIKE :prefix)', { prefix: `${escapeLike(filter.namePrefix)}%` });
    }
    if (filter.organizationId === null) query.andWhere('contact.organization_id IS NULL');
    else if (filter.organizationId !== undefined) query.andWhere('contact.organization_id = :organizationId', { organizationId: filter.organizationId });
    return pageByCreation(query, 'contact', page, 'DESC');
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<ContactEntity | null> {
    return manager.findOne(ContactEntity, { where: { workspaceId, id } });
  }

  findByIds(manager: EntityManager, workspaceId: string, ids: readonly string[]): Promise<ContactEntity[]> {
    return manager
      .createQueryBuilder(ContactEntity, 'contact')
      .where('contact.workspace_id = :workspaceId AND contact.id = ANY(:ids)', { workspaceId, ids: [...ids] })
      .getMany();
  }

  findByEmail(manager: EntityManager, workspaceId: string, email: string): Promise<ContactEntity> {
    return manager.findOneOrFail(ContactEntity, { where: { workspaceId, email } });
  }

  /** The contact's row, locked for the rest of the transaction; null when absent. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<ContactEntity | null> {
    return manager.findOne(ContactEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, contact: ContactEntity): Promise<void> {
    await manager.insert(ContactEntity, contact);
  }

  /**
   * Inserts a contact known by its email unless one with that email exists; the new id, or null when it existed.
   * ON CONFLICT makes concurrent calls for one new email agree on one contact.
   */
  async insertUnlessEmailTaken(
    manager: EntityManager,
    contact: { workspaceId: string; id: string; name: string | null; email: string; organizationId: string | null; createdAt: Date },
  ): Promise<string | null> {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO contacts (workspace_id, id, name, email, organization_id, metadata, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, '{}', $6, $6)
       ON CONFLICT (workspace_id, email) WHERE email IS NOT NULL DO NOTHING
       RETURNING id`,
      [contact.workspaceId, contact.id, contact.name, contact.email, contact.organizationId, contact.createdAt],
    );
    return inserted[0]?.id ?? null;
  }

  /** Contacts holding a value for a custom field key; with `values`, only those whose value is or contains one of them. */
  async countWithCustomField(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number> {
    const rows: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM contacts WHERE workspace_id = $1 AND jsonb_exists(custom_fields, $2)
         AND ($3::text[] IS NULL OR jsonb_exists_any(custom_fields -> $2, $3::text[]))`,
      [workspaceId, key, values ?? null],
    );
    return Number(rows[0].count);
  }

  /** Up to `limit` contacts holding a value for a custom field key, locked. */
  lockWithCustomField(manager: EntityManager, workspaceId: string, key: string, limit: number): Promise<ContactEntity[]> {
    return manager
      .createQueryBuilder(ContactEntity, 'contact')
      .where('contact.workspace_id = :workspaceId AND jsonb_exists(contact.custom_fields, :key)', { workspaceId, key })
      .orderBy('contact.id')
      .limit(limit)
      .setLock('pessimistic_write')
      .getMany();
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: ContactChange): Promise<void> {
    await manager.update(ContactEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(ContactEntity, { workspaceId, id });
  }

  async countInOrganization(manager: EntityManager, workspaceId: string, organizationId: string): Promise<number> {
    const [row]: Array<{ count: string }> = await manager.query('SELECT count(*) AS count FROM contacts WHERE workspace_id = $1 AND organization_id = $2', [workspaceId, organizationId]);
    return Number(row?.count ?? 0);
  }

  /** Removes every contact from the organization; the ids of those that were in it. */
  async detachFromOrganization(manager: EntityManager, workspaceId: string, organizationId: string, updatedAt: Date): Promise<string[]> {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      'UPDATE contacts SET organization_id = NULL, updated_at = $3 WHERE workspace_id = $1 AND organization_id = $2 RETURNING id',
      [workspaceId, organizationId, updatedAt],
    );
    return rows.map((row) => row.id);
  }
}
