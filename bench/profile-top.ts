import { readFileSync } from 'node:fs';

/**
 * The functions with the most self time in a `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench -- --only=graphql
 * --cpu-prof=/tmp/prof`), and the same grouped by package: `node dist/bench/profile-top.js <file> [rows]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node dist/bench/profile-top.js <file.cpuprofile> [rows]');
const rows = Number(rowsArg ?? 40);
const profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

const packageOf = (url: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/dist/src/')) return 'deskline';
  return url ? (url.startsWith('node:') ? 'node' : url) : '(native/gc/idle)';
};
const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
  packages.set(packageOf(frame.url), (packages.get(packageOf(frame.url)) ?? 0) + us);
}
const print = (title: string, table: Map<string, number>, limit: number) => {
  process.stdout.write(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)\n`);
  for (const [key, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}\n`);
  }
};
print('Self time by package', packages, 25);
print('Self time by function', functions, rows);
