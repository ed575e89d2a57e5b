import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs work in one database transaction. When a surrounding unit of work is already open (an
 * idempotent request records its replay in the same transaction as its effects), joins it instead.
 */
@Injectable()
export class TransactionRunner {
  private readonly ambient = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const current = this.ambient.getStore();
    if (current) return work(current);
    return this.dataSource.transaction((manager) => this.ambient.run(manager, () => work(manager)));
  }

  /** The ambient transaction's manager, or the pool for a plain read. */
  get manager(): EntityManager {
    return this.ambient.getStore() ?? this.dataSource.manager;
  }
}
