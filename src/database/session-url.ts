import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/**
 * The URL for connections that need a session of their own (LISTEN, session advisory locks, statement cancellation):
 * DATABASE_DIRECT_URL when the app's pool goes through PgBouncer in transaction pooling mode, where a pooled
 * connection's session state is not kept between transactions. Otherwise the pool's own URL.
 */
const sessionUrls = new WeakMap<DataSource, string>();

export function registerSessionUrl(dataSource: DataSource, url: string): DataSource {
  sessionUrls.set(dataSource, url);
  return dataSource;
}

export function sessionUrl(dataSource: DataSource): string {
  return sessionUrls.get(dataSource) ?? (dataSource.options as PostgresConnectionOptions).url!;
}
