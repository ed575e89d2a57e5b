import { Injectable } from '@nestjs/common';
import { PartReadiness, ReadinessParts } from './metrics/readiness';
import { HealthRepository } from './health.repository';

export interface Readiness {
  /** ok: serve; degraded: serve, but a part needs attention; unavailable: take this instance out of rotation. */
  status: 'ok' | 'degraded' | 'unavailable';
  parts: Record<string, PartReadiness>;
}

/**
 * What readiness means for an instance: it reaches its database, the database has every migration this build needs,
 * and the parts other modules report (the webhook backlog) are not behind. Only the first two take it out of rotation.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: HealthRepository,
    private readonly reported: ReadinessParts,
  ) {}

  async readiness(): Promise<Readiness> {
    try {
      await this.database.ping();
    } catch {
      return { status: 'unavailable', parts: { database: { status: 'unavailable', detail: 'the database does not answer' } } };
    }
    const pending = await this.database.pendingMigrations();
    const parts: Record<string, PartReadiness> = {
      database: { status: 'ok' },
      migrations: pending.length ? { status: 'unavailable', detail: `${pending.length} pending: ${pending.join(', ')}` } : { status: 'ok' },
      ...(await this.reported.check()),
    };
    const statuses = Object.values(parts).map((part) => part.status);
    const status = statuses.includes('unavailable') ? 'unavailable' : statuses.includes('degraded') ? 'degraded' : 'ok';
    return { status, parts };
  }
}
