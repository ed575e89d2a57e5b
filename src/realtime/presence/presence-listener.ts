import { NotificationListener } from '../../database/notification-listener';
import { PRESENCE_CHANNEL, PresenceChange } from './presence.repository';

/** LISTENs for presence changes of every instance; `onReconnect` lets the owner catch up on what changed meanwhile. */
export class PresenceListener extends NotificationListener {
  constructor(databaseUrl: string, onChange: (change: PresenceChange) => void, onReconnect: () => void) {
    super(databaseUrl, 'presence', [PRESENCE_CHANNEL], (_channel, payload) => {
      const change = parseChange(payload);
      if (change) onChange(change);
    }, onReconnect);
  }
}

function parseChange(payload: string): PresenceChange | null {
  try {
    const parsed = JSON.parse(payload) as { w?: unknown; t?: unknown };
    return typeof parsed.w === 'string' && typeof parsed.t === 'string' ? { workspaceId: parsed.w, ticketId: parsed.t } : null;
  } catch {
    return null;
  }
}
