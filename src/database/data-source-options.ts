import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

const sourceRoot = join(__dirname, '..');
const projectRoot = join(sourceRoot, '..');

export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(sourceRoot, '**', '*.entity.{ts,js}')],
    migrations: [join(projectRoot, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    extra: { max: 20, application_name: 'deskline' },
    ...overrides,
  } as DataSourceOptions;
}
