import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The one question health asks the database: does a round trip succeed? */
@Injectable()
export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
