import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Readiness {
  database: 'ok' | 'unreachable';
}

/** What readiness means for an instance: it can reach its database (everything else it needs lives there). */
@Injectable()
export class HealthService {
  constructor(private readonly dataSource: DataSource) {}

  async readiness(): Promise<Readiness> {
    try {
      await this.dataSource.query('SELECT 1');
      return { database: 'ok' };
    } catch {
      return { database: 'unreachable' };
    }
  }
}
