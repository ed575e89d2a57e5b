import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = 'whsec_c2VjcmV0LXZhbHVlLXRoYXQtaXMtbG9uZy1lbm91Z2g=';

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal(secret, 'ws/sub');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed, 'ws/sub')).toBe(secret);
  });

  it('uses a fresh nonce for every seal', () => {
    expect(box.seal(secret, 'ws/sub')).not.toBe(box.seal(secret, 'ws/sub'));
  });

  it('refuses a ciphertext moved to another row, tampered with, or opened with another key', () => {
    const sealed = box.seal(secret, 'ws/sub');
    expect(() => box.open(sealed, 'ws/other')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`v1.${raw.toString('base64url')}`, 'ws/sub')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'ws/sub')).toThrow();
    expect(() => box.open('v2.abc', 'ws/sub')).toThrow('unknown sealed secret format');
  });

  it('during a rotation opens what the previous key sealed, seals with the new one, and tells the two apart', () => {
    const previous = randomBytes(32);
    const old = new SecretBox(previous).seal(secret, 'ws/sub');
    const rotating = new SecretBox(randomBytes(32), previous);
    expect(rotating.open(old, 'ws/sub')).toBe(secret);
    expect(rotating.isCurrent(old, 'ws/sub')).toBe(false);
    const resealed = rotating.seal(secret, 'ws/sub');
    expect(rotating.isCurrent(resealed, 'ws/sub')).toBe(true);
    expect(() => new SecretBox(previous).open(resealed, 'ws/sub')).toThrow();
    expect(() => rotating.open(old, 'ws/other')).toThrow();
  });

  it('needs a 256-bit key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow();
  });
});
