import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../../common/pagination/cursor';
import { pageByCreation } from '../../common/pagination/keyset';
import { BusinessHoursEntity } from './entities/business-hours.entity';

export type BusinessHoursChange = Partial<Pick<BusinessHoursEntity, 'name' | 'timezone' | 'weekly' | 'holidays' | 'specialDays' | 'updatedAt'>>;

@Injectable()
export class BusinessHoursRepository {
  page(manager: EntityManager, workspaceId: string, page: { limit?: number; cursor?: string }): Promise<Page<BusinessHoursEntity>> {
    const query = manager.createQueryBuilder(BusinessHoursEntity, 'calendar').where('calendar.workspace_id = :workspaceId', { workspaceId });
    return pageByCreation(query, 'calendar', page);
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<BusinessHoursEntity | null> {
    return manager.findOne(BusinessHoursEntity, { where: { workspaceId, id } });
  }

  exists(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    return manager.exists(BusinessHoursEntity, { where: { workspaceId, id } });
  }

  /** The calendar's row, locked for the rest of the transaction; null when absent. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<BusinessHoursEntity | null> {
    return manager.findOne(BusinessHoursEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, calendar: BusinessHoursEntity): Promise<void> {
    await manager.insert(BusinessHoursEntity, calendar);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: BusinessHoursChange): Promise<void> {
    await manager.update(BusinessHoursEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(BusinessHoursEntity, { workspaceId, id });
  }
}
