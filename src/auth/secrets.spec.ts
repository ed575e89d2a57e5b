import { hashPassword, passwordHashesRunning, verifyPassword } from './secrets';

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
  });

  it('salts every hash and refuses malformed ones', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(await verifyPassword('scrypt$1$1$1$$', 'x')).toBe(false);
  });

  it('runs at most two hashes at once and finishes every one queued behind them', async () => {
    const hash = await hashPassword('queued password');
    let mostAtOnce = 0;
    const sampler = setInterval(() => (mostAtOnce = Math.max(mostAtOnce, passwordHashesRunning())), 1);
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => verifyPassword(hash, i % 2 ? 'queued password' : 'wrong')));
    clearInterval(sampler);
    expect(results).toEqual([false, true, false, true, false, true, false]);
    expect(mostAtOnce).toBe(2);
    expect(passwordHashesRunning()).toBe(0);
  });
});
