import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One email domain of an organization; the key makes a domain belong to at most one organization per workspace. */
@Entity('organization_domains')
export class OrganizationDomainEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('citext') domain: string;
  @Column('uuid') organizationId: string;
}
