import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../../common/pagination/cursor';
import { pageBySequence } from '../../common/pagination/keyset';
import { MessageVisibility, TicketMessageEntity } from '../entities/ticket-message.entity';

/** Reads of a ticket's conversation, in sequence order (keyset-paginated on the (workspace, ticket, sequence) key). */
@Injectable()
export class TicketMessagesRepository {
  page(
    manager: EntityManager,
    workspaceId: string,
    ticketId: string,
    page: { limit?: number; cursor?: string; visibility?: MessageVisibility },
  ): Promise<Page<TicketMessageEntity>> {
    const query = manager
      .createQueryBuilder(TicketMessageEntity, 'message')
      .where('message.workspace_id = :workspaceId AND message.ticket_id = :ticketId', { workspaceId, ticketId });
    if (page.visibility) query.andWhere('message.visibility = :visibility', { visibility: page.visibility });
    return pageBySequence(query, 'message', page);
  }

  /** Every message of these tickets, oldest first (by time, then the order given, then sequence): what a merge copies. */
  async allOf(manager: EntityManager, workspaceId: string, ticketIds: string[]): Promise<TicketMessageEntity[]> {
    const rows = await manager
      .createQueryBuilder(TicketMessageEntity, 'message')
      .where('message.workspace_id = :workspaceId AND message.ticket_id = ANY(:ticketIds)', { workspaceId, ticketIds })
      .getMany();
    const order = new Map(ticketIds.map((id, index) => [id, index]));
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || order.get(a.ticketId)! - order.get(b.ticketId)! || a.sequence - b.sequence);
  }

  /** Inserts rows the caller built in full (sequences reserved on the locked ticket row). */
  async insertAll(manager: EntityManager, messages: TicketMessageEntity[]): Promise<void> {
    if (messages.length) await manager.insert(TicketMessageEntity, messages);
  }
}
