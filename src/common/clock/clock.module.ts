import { DynamicModule, Global, Module } from '@nestjs/common';
import { ClockMode } from '../../config/app-config';
import { Clock, ManualClock, SystemClock } from './clock';

@Global()
@Module({})
export class ClockModule {
  static forRoot(mode: ClockMode): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useFactory: () => (mode === 'manual' ? new ManualClock() : new SystemClock()) }],
      exports: [Clock],
    };
  }
}
