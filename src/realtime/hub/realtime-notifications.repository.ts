import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Messages between instances that are not events (presence): NOTIFY only, nothing stored. */
@Injectable()
export class RealtimeNotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async notify(channel: string, payload: string): Promise<void> {
    await this.dataSource.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }
}
