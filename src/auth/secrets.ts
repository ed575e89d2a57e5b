import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

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

// scrypt is memory-hard (N * r * 128 bytes: 32 MiB per hash at the default cost of 15) and ships with Node, so no native
// addon can break an install or crash the process on a machine its prebuilt binary does not fit.
const SCRYPT = { r: 8, p: 1, keyLength: 32 };
// The most memory a stored hash may ask of verification (128 MiB, the cost of 17 PASSWORD_SCRYPT_COST allows).
const MAX_N_TIMES_R = (1 << 17) * 8;

// Each hash holds 32 MiB while it runs (at the default cost), and libuv runs four at once: a flood of logins would add 128 MiB to the
// process and take every pool thread from DNS and file work. Two at a time bound both; the rest wait their turn.
const CONCURRENT_HASHES = 2;
let hashesRunning = 0;
const waitingForHash: Array<() => void> = [];

/** Hashes running now, for the test that holds the bound. */
export function passwordHashesRunning(): number {
  return hashesRunning;
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashesRunning >= CONCURRENT_HASHES) await new Promise<void>((resolve) => waitingForHash.push(resolve));
  else hashesRunning++;
  try {
    return await work();
  } finally {
    const next = waitingForHash.shift();
    if (next) next();
    else hashesRunning--;
  }
}

function deriveKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keyLength: number): Promise<Buffer> {
  const maxmem = 2 * 128 * params.N * params.r;
  return withHashSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password, salt, keyLength, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );
}

/**
 * Encoded as `scrypt$N$r$p$salt$hash` so the cost can be raised later without invalidating stored hashes. `cost` is
 * log2 of N, from PASSWORD_SCRYPT_COST.
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await deriveKey(password, salt, { ...SCRYPT, N }, SCRYPT.keyLength);
  return ['scrypt', N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  try {
    if (Number(n) * Number(r) > MAX_N_TIMES_R) return false;
    const actual = await deriveKey(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
