import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination/cursor';
import { pageByCreation } from '../common/pagination/keyset';
import { OrganizationEntity } from './entities/organization.entity';

export interface OrganizationFilter {
  externalId?: string;
  domain?: string;
  /** Prefix of the name, matched case-insensitively. */
  namePrefix?: string;
}

export type OrganizationChange = Partial<Pick<OrganizationEntity, 'name' | 'externalId' | 'notes' | 'tags' | 'customFields' | 'updatedAt'>>;

/** LIKE's own wildcards in user text match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

@Injectable()
export class OrganizationsRepository {
  /** Oldest first. */
  page(manager: EntityManager, workspaceId: string, filter: OrganizationFilter, page: { limit?: number; cursor?: string }): Promise<Page<OrganizationEntity>> {
    const query = manager.createQueryBuilder(OrganizationEntity, 'organization').where('organization.workspace_id = :workspaceId', { workspaceId });
    if (filter.externalId !== undefined) query.andWhere('organization.external_id = :externalId', { externalId: filter.externalId });
    if (filter.namePrefix !== undefined) query.andWhere('organization.name ILIKE :prefix', { prefix: `${escapeLike(filter.namePrefix)}%` });
    if (filter.domain !== undefined) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM organization_domains d WHERE d.workspace_id = organization.workspace_id AND d.organization_id = organization.id AND d.domain = :domain)',
        { domain: filter.domain },
      );
    }
    return pageByCreation(query, 'organization', page);
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<OrganizationEntity | null> {
    return manager.findOne(OrganizationEntity, { where: { workspaceId, id } });
  }

  findByIds(manager: EntityManager, workspaceId: string, ids: readonly string[]): Promise<OrganizationEntity[]> {
    return manager
      .createQueryBuilder(OrganizationEntity, 'organization')
      .where('organization.workspace_id = :workspaceId AND organization.id = ANY(:ids)', { workspaceId, ids: [...ids] })
      .getMany();
  }

  exists(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    return manager.exists(OrganizationEntity, { where: { workspaceId, id } });
  }

  /** Serialises every change to one organization (its fields and its domains). */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<OrganizationEntity | null> {
    return manager.findOne(OrganizationEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, organization: OrganizationEntity): Promise<void> {
    await manager.insert(OrganizationEntity, organization);
  }

  async countWithCustomField(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number> {
    const rows: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM organizations WHERE workspace_id = $1 AND jsonb_exists(custom_fields, $2)
         AND ($3::text[] IS NULL OR jsonb_exists_any(custom_fields -> $2, $3::text[]))`,
      [workspaceId, key, values ?? null],
    );
    return Number(rows[0].count);
  }

  /** Up to `limit` organizations holding a value for a custom field key, locked. */
  lockWithCustomField(manager: EntityManager, workspaceId: string, key: string, limit: number): Promise<OrganizationEntity[]> {
    return manager
      .createQueryBuilder(OrganizationEntity, 'organization')
      .where('organization.workspace_id = :workspaceId AND jsonb_exists(organization.custom_fields, :key)', { workspaceId, key })
      .orderBy('organization.id')
      .limit(limit)
      .setLock('pessimistic_write')
      .getMany();
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: OrganizationChange): Promise<void> {
    await manager.update(OrganizationEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(OrganizationEntity, { workspaceId, id });
  }

  /** Domains per organization, each list sorted. */
  async domainsOf(manager: EntityManager, workspaceId: string, organizationIds: readonly string[]): Promise<Map<string, string[]>> {
    const byOrganization = new Map<string, string[]>(organizationIds.map((id) => [id, []]));
    if (organizationIds.length === 0) return byOrganization;
    const rows: Array<{ organization_id: string; domain: string }> = await manager.query(
      'SELECT organization_id, domain FROM organization_domains WHERE workspace_id = $1 AND organization_id = ANY($2) ORDER BY domain',
      [workspaceId, [...organizationIds]],
    );
    for (const row of rows) byOrganization.get(row.organization_id)?.push(row.domain);
    return byOrganization;
  }

  /** Adds and removes domains of an organization; a domain another organization holds fails on the table's key. */
  async changeDomains(manager: EntityManager, workspaceId: string, organizationId: string, change: { added: readonly string[]; removed: readonly string[] }): Promise<void> {
    if (change.removed.length > 0) {
      await manager.query('DELETE FROM organization_domains WHERE workspace_id = $1 AND organization_id = $2 AND domain = ANY($3::citext[])', [workspaceId, organizationId, [...change.removed]]);
    }
    if (change.added.length > 0) {
      await manager.query(
        'INSERT INTO organization_domains (workspace_id, domain, organization_id) SELECT $1, domain, $2 FROM unnest($3::citext[]) AS domain',
        [workspaceId, organizationId, [...change.added]],
      );
    }
  }

  /** The domains among these that another organization holds. */
  async domainsHeldByOthers(manager: EntityManager, workspaceId: string, organizationId: string | null, domains: readonly string[]): Promise<string[]> {
    if (domains.length === 0) return [];
    const rows: Array<{ domain: string }> = await manager.query(
      'SELECT domain FROM organization_domains WHERE workspace_id = $1 AND domain = ANY($2::citext[]) AND ($3::uuid IS NULL OR organization_id <> $3::uuid) ORDER BY domain',
      [workspaceId, [...domains], organizationId],
    );
    return rows.map((row) => row.domain);
  }

  async organizationIdForDomain(manager: EntityManager, workspaceId: string, domain: string): Promise<string | null> {
    const rows: Array<{ organization_id: string }> = await manager.query(
      'SELECT organization_id FROM organization_domains WHERE workspace_id = $1 AND domain = $2',
      [workspaceId, domain],
    );
    return rows[0]?.organization_id ?? null;
  }
}

