import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { sessionUrl } from './session-url';

/**
 * The signal of the work under way (a request's time budget): when it aborts, the statement its transaction is running
 * is cancelled, so the connection goes back to the pool now instead of when the statement timeout strikes.
 */
export const workCancellation = new AsyncLocalStorage<AbortSignal>();

/** Sends pg_cancel_backend over one connection of its own: the pool may be the very thing that is exhausted. */
@Injectable()
export class StatementCanceller implements OnModuleDestroy {
  private readonly logger = new Logger('Database');
  private client: Promise<Client> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  cancel(backendPid: number): Promise<void> {
    this.queue = this.queue.then(() => this.send(backendPid));
    return this.queue;
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue;
    const client = this.client;
    this.client = null;
    await client?.then((connected) => connected.end()).catch(() => undefined);
  }

  private async send(backendPid: number): Promise<void> {
    try {
      const client = await (this.client ??= this.connect());
      await client.query('SELECT pg_cancel_backend($1)', [backendPid]);
    } catch (error) {
      this.client = null;
      this.logger.warn({ msg: 'Could not cancel a statement past its budget; the statement timeout will end it', error: (error as Error).message });
    }
  }

  private async connect(): Promise<Client> {
    const url = sessionUrl(this.dataSource);
    const client = new Client({ connectionString: url, application_name: 'deskline-canceller' });
    client.on('error', () => (this.client = null));
    await client.connect();
    return client;
  }
}
