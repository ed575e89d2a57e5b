import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What health asks the database: does a round trip succeed, and which migrations has it applied? */
@Injectable()
export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** Migrations this build ships that the database has not applied (another instance may be applying them now). */
  async pendingMigrations(): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.dataSource.query('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.name));
    return this.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !applied.has(name));
  }
}
