import { hashPassword, passwordHashesRunning, verifyPassword } from './secrets';

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse battery staple', 15);
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
  });

  it('salts every hash and refuses malformed ones', async () => {
    expect(await hashPassword('same', 10)).not.toBe(await hashPassword('same', 10));
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(await verifyPassword('scrypt$1$1$1$$', 'x')).toBe(false);
  });

  it('runs at most two hashes at once and finishes every one queued behind them', async () => {
    const hash = await hashPassword('queued password', 15);
    let mostAtOnce = 0;
    const sampler = setInterval(() => (mostAtOnce = Math.max(mostAtOnce, passwordHashesRunning())), 1);
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => verifyPassword(hash, i % 2 ? 'queued password' : 'wrong')));
    clearInterval(sampler);
    expect(results).toEqual([false, true, false, true, false, true, false]);
    expect(mostAtOnce).toBe(2);
    expect(passwordHashesRunning()).toBe(0);
  });

  it('verifies a hash with the cost it was made with, so lowering or raising PASSWORD_SCRYPT_COST keeps old passwords valid', async () => {
    const cheap = await hashPassword('pw', 10);
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword(cheap, 'pw')).toBe(true);
    expect(await verifyPassword(await hashPassword('pw', 16), 'pw')).toBe(true);
  });

  it('refuses a stored hash that asks for more memory than the highest allowed cost', async () => {
    const [, , r, p, salt, hash] = (await hashPassword('pw', 10)).split('$');
    expect(await verifyPassword(['scrypt', 2 ** 18, r, p, salt, hash].join('$'), 'pw')).toBe(false);
  });
});
