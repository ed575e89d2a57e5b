import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { StatementCanceller, workCancellation } from './statement-cancellation';

/**
 * Runs work in one database transaction. When a surrounding unit of work is already open (an
 * idempotent request records its replay in the same transaction as its effects), joins it under a savepoint: a
 * nested run that fails is rolled back to where it started, so a caller that catches its error (a unique-race
 * fallback) keeps a usable transaction and none of the failed work. Nested runs of one transaction share its
 * connection and run one after another, never concurrently.
 */
@Injectable()
export class TransactionRunner {
  private readonly ambient = new AsyncLocalStorage<EntityManager>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly canceller: StatementCanceller,
  ) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const current = this.ambient.getStore();
    // EntityManager.transaction on a manager bound to an open transaction takes a savepoint (TypeORM tracks the depth).
    if (current) return current.transaction(work);
    const signal = workCancellation.getStore();
    // Past its budget the caller has had its answer: starting more work would only hold a connection for nothing.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the reason is the budget's own error, passed on as given.
    if (signal?.aborted) return Promise.reject(signal.reason);
    return this.dataSource.transaction((manager) => this.ambient.run(manager, () => (signal ? this.cancellable(manager, signal, work) : work(manager))));
  }

  /** The ambient transaction's manager, or the pool for a plain read. */
  get manager(): EntityManager {
    return this.ambient.getStore() ?? this.dataSource.manager;
  }

  private async cancellable<T>(manager: EntityManager, signal: AbortSignal, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const backendPid = (manager.queryRunner as unknown as { databaseConnection?: { processID?: number } }).databaseConnection?.processID;
    // Widened on purpose: `cancel` assigns it from a listener, which control-flow narrowing does not see.
    let cancelling = null as Promise<void> | null;
    const cancel = () => {
      if (backendPid) cancelling = this.canceller.cancel(backendPid);
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await work(manager);
    } finally {
      signal.removeEventListener('abort', cancel);
      // The connection is still this transaction's until we return; waiting here keeps a late cancel off its next user.
      await cancelling;
    }
  }
}
