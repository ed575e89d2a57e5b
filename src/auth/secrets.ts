import { createHash, randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

export function newApiKey(): string {
  return 'dsk_' + randomBytes(32).toString('base64url');
}

export function newRefreshToken(): string {
  return 'dsr_' + randomBytes(32).toString('base64url');
}

/** API keys and refresh tokens are 256-bit random values, so a fast hash is enough to make a leaked table useless. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
