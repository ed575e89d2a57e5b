// `npm start`: recompile only when a source is newer than the last build (npm ci already built once), then serve.
// Plain JavaScript on purpose: it runs before anything is compiled.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const buildInfo = join(root, 'dist', '.tsbuildinfo.build');

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stat.mtimeMs);
}

const sources = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((entry) => join(root, entry));
const builtAt = existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0;
if (!existsSync(join(root, 'dist', 'src', 'main.js')) || sources.some((source) => existsSync(source) && newestChange(source) > builtAt)) {
  process.stdout.write('Compiling (sources changed since the last build)...\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  const now = new Date();
  if (existsSync(buildInfo)) utimesSync(buildInfo, now, now);
}
require(join(root, 'dist', 'src', 'main.js'));
