import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';

/** The channel src/events/outbox.ts notifies, with the workspace id as payload, when an event commits. */
export const OUTBOX_CHANNEL = 'deskline_outbox';
const RECONNECT_DELAY_MS = 1000;

/** Wakes the dispatchers of every instance once the surrounding transaction commits (NOTIFY is transactional). */
export async function wakeDispatcher(manager: EntityManager, workspaceId: string): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, workspaceId]);
}

/**
 * LISTENs on a dedicated connection outside the pool: a pooled client would be handed to queries and lose the
 * registration. Reconnects after a failure and reports it, since notifications sent meanwhile are lost.
 */
export class OutboxListener {
  private readonly logger = new Logger('WebhookDispatcher');
  private client: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onNotify: (workspaceId: string) => void,
    private readonly onReconnect: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'deskline-webhooks-listener' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL && message.payload) this.onNotify(message.payload);
    });
    const lost = (error?: Error) => {
      if (this.stopped || this.client !== client) return;
      this.logger.warn({ msg: 'Outbox listener connection lost; reconnecting', error: error?.message });
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
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
