import { Injectable, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Metrics } from './metrics';

/** The connection pool as an operator sizes it: connections open, idle, and requests waiting for one. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const pool = () => (this.dataSource.driver as unknown as { master?: Pool }).master;
    this.metrics.gauge({
      name: 'deskline_database_pool_connections',
      help: 'Connections of this instance\'s database pool by state: open (in use or idle), idle, and waiting (requests queued for a connection).',
      labelNames: ['state'],
      read: () => {
        const current = pool();
        if (!current) return Promise.resolve([]);
        return Promise.resolve([
          { labels: { state: 'open' }, value: current.totalCount },
          { labels: { state: 'idle' }, value: current.idleCount },
          { labels: { state: 'waiting' }, value: current.waitingCount },
        ]);
      },
    });
  }
}
