#!/usr/bin/env node
// `npm run fuzz -- --runs 50000 --seed 42`: the fuzz test of the security suite, longer or with another seed.
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const runs = option('runs') ?? process.env.FUZZ_RUNS ?? '3000';
const seed = option('seed') ?? process.env.FUZZ_SEED;
if (!/^\d+$/.test(runs) || (seed !== undefined && !/^\d+$/.test(seed))) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed N]');
  process.exit(2);
}
// About 6 ms a request on two cores; generous so a long run is never cut short by jest.
const timeoutMs = String(Math.max(110_000, Number(runs) * 60 + 60_000));
const env = { ...process.env, FUZZ_RUNS: runs, FUZZ_TIMEOUT_MS: timeoutMs, ...(seed !== undefined ? { FUZZ_SEED: seed } : {}) };
const result = spawnSync('npx', ['jest', 'test/security/fuzz.e2e-spec.ts', '--testTimeout', timeoutMs], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
