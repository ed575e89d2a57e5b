import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { EventEnvelope, EventType, SubjectType } from './event-catalogue';

export interface RecordedEvent {
  type: EventType;
  subjectType: SubjectType;
  subjectId: string;
  /** Per-subject order, for consumers that must apply events in order (tickets carry one). */
  sequence?: number;
  data: Record<string, unknown>;
}

/**
 * Writes domain events into the outbox inside the caller's transaction: a rolled-back change emits nothing,
 * and a committed one is never lost, whatever happens to the process after the commit.
 */
@Injectable()
export class Outbox {
  async record(manager: EntityManager, principal: Principal, events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const createdAt = new Date();
    const rows = events.map((event) => {
      const id = randomUUID();
      const envelope: EventEnvelope = {
        id,
        type: event.type,
        version: 1,
        createdAt: createdAt.toISOString(),
        workspaceId: principal.workspaceId,
        data: { ...event.data, ...(event.sequence !== undefined ? { sequence: event.sequence } : {}), actor: principal.actor },
      };
      return [principal.workspaceId, id, event.type, event.subjectType, event.subjectId, event.sequence ?? null, JSON.stringify(envelope), createdAt];
    });
    const placeholders = rows.map((_, row) => `(${Array.from({ length: 8 }, (_, col) => `$${row * 8 + col + 1}`).join(', ')})`).join(', ');
    await manager.query(
      `INSERT INTO outbox_events (workspace_id, id, type, subject_type, subject_id, sequence, payload, created_at) VALUES ${placeholders}`,
      rows.flat(),
    );
    await manager.query(`SELECT pg_notify('deskline_outbox', $1)`, [principal.workspaceId]);
  }
}
