import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

/** PostgreSQL's udt_name for each column type our entities declare. */
const UDT_NAMES: Record<string, string> = {
  uuid: 'uuid', text: 'text', citext: 'citext', timestamptz: 'timestamptz', jsonb: 'jsonb', integer: 'int4', smallint: 'int2', bigint: 'int8', boolean: 'bool',
};

interface DatabaseColumn {
  table_name: string;
  column_name: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_generated: 'ALWAYS' | 'NEVER';
}

/**
 * Entities describe the tables the hand-written migrations build (STYLE habit 12). TypeORM's own schema diff cannot
 * be the check: it would also drop every index and foreign key that only the migrations declare. So this compares
 * what an entity states (columns, their types and nullability) and the one thing a table can demand of an entity:
 * a NOT NULL column without a default must be mapped, or every insert through the entity fails.
 */
describe('entities against the migrated schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('maps every entity column to a database column of the same type and nullability, and no required column is left out', async () => {
    const dataSource = t.app.get(DataSource);
    const columns: DatabaseColumn[] = await dataSource.query(
      `SELECT table_name, column_name, udt_name, is_nullable, column_default, is_generated FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const byName = new Map(columns.map((column) => [`${column.table_name}.${column.column_name}`, column]));
    const problems: string[] = [];
    expect(dataSource.entityMetadatas.length).toBeGreaterThan(10);
    for (const entity of dataSource.entityMetadatas) {
      for (const column of entity.columns) {
        const name = `${entity.tableName}.${column.databaseName}`;
        const found = byName.get(name);
        if (!found) {
          problems.push(`${name}: declared by ${entity.name}, missing from the database`);
          continue;
        }
        const declared = `${column.isArray ? '_' : ''}${UDT_NAMES[String(column.type)] ?? `unknown type ${String(column.type)}`}`;
        if (found.udt_name !== declared) problems.push(`${name}: ${entity.name} declares ${declared}, the database has ${found.udt_name}`);
        if ((found.is_nullable === 'YES') !== column.isNullable) {
          problems.push(`${name}: ${entity.name} says ${column.isNullable ? 'nullable' : 'NOT NULL'}, the database says ${found.is_nullable === 'YES' ? 'nullable' : 'NOT NULL'}`);
        }
      }
      const mapped = new Set(entity.columns.map((column) => column.databaseName));
      for (const column of columns) {
        if (column.table_name !== entity.tableName || mapped.has(column.column_name)) continue;
        if (column.is_nullable === 'NO' && column.column_default === null && column.is_generated === 'NEVER') {
          problems.push(`${entity.tableName}.${column.column_name}: NOT NULL without a default, but ${entity.name} does not map it`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
