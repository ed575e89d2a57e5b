import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';

/**
 * Where one entity kind keeps its custom field values (tickets, contacts, organizations): the module that owns the table
 * implements this and registers it with FieldsService at module init, so fields/ never reads another module's table.
 */
export interface CustomFieldValueStore {
  /** How many records hold a value for `key`; with `values`, only those whose value is (or, for a list, contains) one of them. */
  countValues(manager: EntityManager, workspaceId: string, key: string, values?: string[]): Promise<number>;
  /** Removes `key` from at most `limit` records in one transaction of its own, recording each record's history; resolves how many changed. */
  removeValues(principal: Principal, key: string, limit: number): Promise<number>;
}
