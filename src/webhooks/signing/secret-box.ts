import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest. The associated data binds a sealed value to its row, so a ciphertext copied
 * onto another subscription fails to open instead of signing for it.
 */
export class SecretBox {
  /** `previousKey` (during a key rotation) still opens what it sealed; sealing always uses `key`. */
  constructor(
    private readonly key: Buffer,
    private readonly previousKey: Buffer | null = null,
  ) {
    if (key.length !== 32 || (previousKey && previousKey.length !== 32)) throw new Error('SecretBox needs 32-byte keys');
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  open(sealed: string, associatedData: string): string {
    if (!this.previousKey) return this.openWith(this.key, sealed, associatedData);
    try {
      return this.openWith(this.key, sealed, associatedData);
    } catch {
      return this.openWith(this.previousKey, sealed, associatedData);
    }
  }

  /** Whether `sealed` is already sealed with the current key (re-sealing skips it). */
  isCurrent(sealed: string, associatedData: string): boolean {
    try {
      this.openWith(this.key, sealed, associatedData);
      return true;
    } catch {
      return false;
    }
  }

  private openWith(key: Buffer, sealed: string, associatedData: string): string {
    const [version, encoded] = sealed.split('.');
    if (version !== VERSION || !encoded) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(encoded, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
