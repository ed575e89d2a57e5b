import { Client } from 'pg';
import { InstanceKeyName } from '../config/keys-config';

export interface StoredInstanceKey {
  fingerprint: string;
  secret: string | null;
}

/** instance_keys, read before the application (and its pool) exists: one short-lived connection per boot. */
export class InstanceKeysRepository {
  constructor(private readonly client: Client) {}

  /** Records the key (the first instance wins a race) and answers what the database holds now. */
  async recordOrRead(name: InstanceKeyName, fingerprint: string, secret: string | null): Promise<StoredInstanceKey> {
    await this.client.query('INSERT INTO instance_keys (name, fingerprint, secret) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, fingerprint, secret]);
    const { rows } = await this.client.query<StoredInstanceKey>('SELECT fingerprint, secret FROM instance_keys WHERE name = $1', [name]);
    return rows[0];
  }

  /** After re-sealing: the new key is the one instances must now hold. */
  async replace(name: InstanceKeyName, fingerprint: string): Promise<void> {
    await this.client.query('UPDATE instance_keys SET fingerprint = $2, secret = NULL, updated_at = now() WHERE name = $1', [name, fingerprint]);
  }
}
