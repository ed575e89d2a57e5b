import { DynamicModule, Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { ReadinessParts } from './readiness';

/** The application's registry and readiness parts, global so any module can report to them without importing health. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(metrics: Metrics): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: Metrics, useValue: metrics }, ReadinessParts, DatabasePoolMetrics],
      exports: [Metrics, ReadinessParts],
    };
  }
}
