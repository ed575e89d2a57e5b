import { join } from 'node:path';

export type InstanceKeyName = 'jwt' | 'sealing';

export interface InstanceKeySource {
  /** What an operator sets or looks at when this key disagrees: the variable, or the key file it was generated into. */
  variable: string;
  /** The variable is unset and DATABASE_URL names a shared database: the database supplies the key at boot. */
  fromDatabase: boolean;
}

/**
 * JWT signing (JWT_SECRET) and sealing of webhook, mailbox and portal secrets (WEBHOOK_ENCRYPTION_KEY) must be the
 * same on every instance. On the embedded database (no DATABASE_URL) an unset key is generated into DATA_DIR, as one
 * instance owns that directory. With DATABASE_URL, an unset key is never generated per instance: the first instance
 * stores one in the database and every other reads it, so a cluster agrees without configuration (setting both
 * variables keeps them out of the database, which production should do for the sealing key). Either way the database
 * keeps each key's fingerprint, and an instance whose key disagrees refuses to start naming the variable.
 */
export interface KeysConfig {
  jwt: InstanceKeySource;
  sealing: InstanceKeySource;
}

export function keysConfig(env: NodeJS.ProcessEnv, dataDir: string): KeysConfig {
  const external = Boolean(env.DATABASE_URL);
  const source = (variable: string, file: string): InstanceKeySource => {
    if (env[variable]) return { variable, fromDatabase: false };
    return external ? { variable, fromDatabase: true } : { variable: `${variable} (generated into ${join(dataDir, file)})`, fromDatabase: false };
  };
  return { jwt: source('JWT_SECRET', 'jwt-secret'), sealing: source('WEBHOOK_ENCRYPTION_KEY', 'webhook-encryption-key') };
}
