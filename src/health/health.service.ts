import { Injectable } from '@nestjs/common';
import { HealthRepository } from './health.repository';

export interface Readiness {
  database: 'ok' | 'unreachable';
}

/** What readiness means for an instance: it can reach its database (everything else it needs lives there). */
@Injectable()
export class HealthService {
  constructor(private readonly database: HealthRepository) {}

  async readiness(): Promise<Readiness> {
    try {
      await this.database.ping();
      return { database: 'ok' };
    } catch {
      return { database: 'unreachable' };
    }
  }
}
