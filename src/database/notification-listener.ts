import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const RECONNECT_DELAY_MS = 1000;

/**
 * A LISTEN connection outside the pool (a pooled client would be handed to queries and lose the registration), one per
 * purpose and instance: the webhook dispatcher, the realtime hub, presence. After a lost connection it reconnects and
 * says so through onConnected, since notifications sent meanwhile are lost and the owner must catch up.
 */
export class NotificationListener {
  private readonly logger: Logger;
  private client: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly purpose: string,
    private readonly channels: string[],
    private readonly onNotification: (channel: string, payload: string) => void,
    private readonly onConnected: () => void,
  ) {
    this.logger = new Logger(`${purpose} listener`);
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: `deskline-${this.purpose}-listener` });
    this.client = client;
    client.on('notification', (message) => {
      if (message.payload) this.onNotification(message.channel, message.payload);
    });
    const lost = (error?: Error) => {
      if (this.stopped || this.client !== client) return;
      this.logger.warn({ msg: `${this.purpose} listener connection lost; reconnecting`, error: error?.message });
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
      this.onConnected();
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
