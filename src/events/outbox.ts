import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { SubjectType } from './event-catalogue';
import { EventPayloads, EventType } from './event-map';
import { OutboxRepository } from './outbox.repository';

/** One event to record, its `data` typed by its `type` (event-map.ts): a payload of the wrong shape does not compile. */
export type RecordedEvent<K extends EventType = EventType> = {
  [T in K]: {
    type: T;
    subjectType: SubjectType;
    subjectId: string;
    /** Per-subject order, for consumers that must apply events in order (tickets carry one). */
    sequence?: number;
    data: EventPayloads[T];
  };
}[K];

/**
 * Writes domain events into the outbox inside the caller's transaction: a rolled-back change emits nothing,
 * and a committed one is never lost, whatever happens to the process after the commit.
 */
@Injectable()
export class Outbox {
  /** Workspaces already notified per transaction: NOTIFY is delivered at commit, so once per transaction wakes everyone. */
  private readonly notified = new WeakMap<EntityManager, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly repository: OutboxRepository,
  ) {}

  async record(manager: EntityManager, principal: Principal, events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const createdAt = this.clock.now();
    const rows = events.map((event) => {
      const id = randomUUID();
      const envelope = {
        id,
        type: event.type,
        version: 1,
        createdAt: createdAt.toISOString(),
        workspaceId: principal.workspaceId,
        data: { ...event.data, ...(event.sequence !== undefined ? { sequence: event.sequence } : {}), actor: principal.actor },
      };
      return { workspaceId: principal.workspaceId, id, type: event.type, subjectType: event.subjectType, subjectId: event.subjectId, sequence: event.sequence ?? null, envelope, createdAt };
    });
    // Outside a transaction (the pool's manager) every statement commits on its own and must notify.
    const inTransaction = manager.queryRunner?.isTransactionActive === true;
    let notified = inTransaction ? this.notified.get(manager) : undefined;
    if (inTransaction && !notified) this.notified.set(manager, (notified = new Set()));
    if (notified?.has(principal.workspaceId)) {
      await this.repository.insert(manager, rows, null);
      return;
    }
    await this.repository.insert(manager, rows, principal.workspaceId);
    // A notify made under a savepoint (a nested run) is undone if that run rolls back, so only the outermost level's
    // counts; a repeated notify costs nothing, as PostgreSQL delivers identical ones of a transaction once.
    if ((manager.queryRunner as { transactionDepth?: number } | undefined)?.transactionDepth === 1) notified?.add(principal.workspaceId);
  }
}
