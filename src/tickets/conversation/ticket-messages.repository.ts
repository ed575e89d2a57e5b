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
}
