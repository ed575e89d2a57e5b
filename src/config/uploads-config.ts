import { join } from 'node:path';
import { ConfigError, integer } from './app-config';

const MiB = 1024 * 1024;

export type UploadStorage = 'database' | 'disk';

export interface UploadsConfig {
  /** Largest single file (UPLOAD_MAX_FILE_BYTES); a bigger one is cut off while it streams in. */
  maxFileBytes: number;
  /** Most files one message may carry, and one upload request may send (UPLOAD_MAX_FILES_PER_MESSAGE). */
  maxFilesPerMessage: number;
  /** Most bytes of all the files of one message together (UPLOAD_MAX_MESSAGE_BYTES). */
  maxMessageBytes: number;
  /** How long an upload no message references is kept (UPLOAD_TTL_SECONDS). */
  ttlSeconds: number;
  /** Where the bytes live: PostgreSQL (default: backups hold every file) or files under `directory`. */
  storage: UploadStorage;
  /** DATA_DIR/uploads, used when storage is disk. */
  directory: string;
  /** How often this instance removes expired uploads; 0 turns the job off on this instance. */
  expiryIntervalMs: number;
}

export function uploadsConfig(env: NodeJS.ProcessEnv, dataDir: string): UploadsConfig {
  const storage = env.UPLOAD_STORAGE || 'database';
  if (storage !== 'database' && storage !== 'disk') throw new ConfigError('UPLOAD_STORAGE', `must be database or disk, got "${storage}"`);
  const maxFileBytes = integer(env, 'UPLOAD_MAX_FILE_BYTES', 20 * MiB, 1, 1024 * MiB);
  return {
    maxFileBytes,
    maxFilesPerMessage: integer(env, 'UPLOAD_MAX_FILES_PER_MESSAGE', 10, 1, 100),
    maxMessageBytes: integer(env, 'UPLOAD_MAX_MESSAGE_BYTES', 50 * MiB, 1, 10 * 1024 * MiB),
    ttlSeconds: integer(env, 'UPLOAD_TTL_SECONDS', 24 * 3600, 60, 30 * 24 * 3600),
    storage,
    directory: join(dataDir, 'uploads'),
    expiryIntervalMs: integer(env, 'UPLOAD_EXPIRY_INTERVAL_MS', 15 * 60_000, 0, 24 * 3600_000),
  };
}
