import { EntityManager } from 'typeorm';
import { NotificationListener } from '../../database/notification-listener';

/** The channel src/events/outbox.ts notifies, with the workspace id as payload, when an event commits. */
export const OUTBOX_CHANNEL = 'deskline_outbox';

/** Wakes the dispatchers of every instance once the surrounding transaction commits (NOTIFY is transactional). */
export async function wakeDispatcher(manager: EntityManager, workspaceId: string): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, workspaceId]);
}

/** Wakes this instance's dispatcher with the workspace whose events committed; `onReconnect` catches up after a gap. */
export class OutboxListener extends NotificationListener {
  constructor(databaseUrl: string, onNotify: (workspaceId: string) => void, onReconnect: () => void) {
    super(databaseUrl, 'webhooks', [OUTBOX_CHANNEL], (_channel, workspaceId) => onNotify(workspaceId), onReconnect);
  }
}
