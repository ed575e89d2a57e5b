import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Role } from '../principal';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid') workspaceId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') role: Role;
  @Column('text', { array: true }) scopes: string[];
  @Column('uuid', { nullable: true }) agentId: string | null;
  @Column('text') keyHash: string;
  @Column('text') keyPrefix: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
