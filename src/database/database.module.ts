import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { registerSessionUrl } from './session-url';
import { StatementCanceller } from './statement-cancellation';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, poolSize: number): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(databaseUrl, { extra: pooledSessionSettings(poolSize, config) }),
            entities: undefined,
            autoLoadEntities: true,
            // Remembered for LISTEN and other session-bound connections (DATABASE_DIRECT_URL, see session-url.ts).
            sessionUrl: config.databaseDirectUrl ?? databaseUrl,
          }),
          dataSourceFactory: async (options) => {
            const { sessionUrl, ...rest } = options as typeof options & { sessionUrl: string };
            return registerSessionUrl(new DataSource(rest), sessionUrl);
          },
        }),
      ],
      providers: [TransactionRunner, StatementCanceller],
      exports: [TransactionRunner],
    };
  }
}

/**
 * Every connection of the app's pool starts with these, so no statement (or stalled transaction) can hold a connection
 * past its budget: PostgreSQL itself cancels it and the connection returns to the pool. Migrations use their own
 * connection without them (a backfill may rightly run for minutes).
 */
function pooledSessionSettings(poolSize: number, config: AppConfig): Record<string, unknown> {
  return {
    max: poolSize,
    application_name: 'deskline',
    statement_timeout: config.http.statementTimeoutMs,
    idle_in_transaction_session_timeout: config.http.idleInTransactionTimeoutMs,
  };
}
