import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SlaPolicyEntity } from './entities/sla-policy.entity';

@Injectable()
export class SlaPoliciesRepository {
  /** A workspace's policies in the order they are tried: lowest position first, id breaking ties. */
  ordered(manager: EntityManager, workspaceId: string): Promise<SlaPolicyEntity[]> {
    return manager.find(SlaPolicyEntity, { where: { workspaceId }, order: { position: 'ASC', id: 'ASC' } });
  }
}
