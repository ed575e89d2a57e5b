import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { PRESENCE_CHANNEL, PresenceChange } from './presence.repository';

const RECONNECT_DELAY_MS = 1000;

/**
 * LISTENs for presence changes of every instance on a dedicated connection outside the pool (a pooled client would be
 * handed to queries and lose the registration). Reconnects after a failure; `onReconnect` lets the owner catch up on
 * what changed meanwhile.
 */
export class PresenceListener {
  private readonly logger = new Logger('Presence');
  private client: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onChange: (change: PresenceChange) => void,
    private readonly onReconnect: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'deskline-presence-listener' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== PRESENCE_CHANNEL || !message.payload) return;
      const change = parseChange(message.payload);
      if (change) this.onChange(change);
    });
    const lost = (error?: Error) => {
      if (this.stopped || this.client !== client) return;
      this.logger.warn({ msg: 'Presence listener connection lost; reconnecting', error: error?.message });
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${PRESENCE_CHANNEL}`);
      this.onReconnect();
    } catch (error) {
      lost(error as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.start();
    }, RECONNECT_DELAY_MS);
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
