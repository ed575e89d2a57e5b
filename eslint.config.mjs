// Lint for Deskline: typescript-eslint's type-aware rules, and the module map of the README's architecture section
// (shared/ARCHITECTURE.md) as import-x/no-restricted-paths zones. The zones hold for every new import; what breaks
// them today is listed, file by file and import by import, in eslint.boundary-baseline.mjs, which shrinks as
// issue 18's boundary work lands.
import { existsSync, readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { boundaryBaseline } from './eslint.boundary-baseline.mjs';

const modules = readdirSync('src', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Modules that sit above tickets (ARCHITECTURE.md: tickets offers hooks and interfaces they implement).
const aboveTickets = ['search', 'sla', 'channels', 'assignment', 'automation', 'macros', 'triage', 'webhooks', 'reports'];
// What common/ may lean on: plumbing, not a domain.
const belowCommon = ['common', 'config', 'database'];

const zones = new Map();
for (const owner of modules) {
  const others = modules.filter((name) => name !== owner);
  zones.set(`entities:${owner}`, {
    target: `src/${owner}/**`,
    from: others.map((name) => `src/${name}/**/entities/**`),
    message: `Another module's entities are its own: go through that module's exported service (issue 18).`,
  });
  zones.set(`repositories:${owner}`, {
    target: `src/${owner}/**`,
    from: others.map((name) => `src/${name}/**/*.repository.ts`),
    message: `Another module's repository is its own: go through that module's exported service (issue 18).`,
  });
}
zones.set('tickets-above', {
  target: 'src/tickets/**',
  from: aboveTickets.map((name) => `src/${name}/**`),
  message: 'tickets sits below this module: offer a hook or an interface tickets owns, and let the module implement it.',
});
zones.set('common-domain', {
  target: 'src/common/**',
  from: modules.filter((name) => !belowCommon.includes(name)).map((name) => `src/${name}/**`),
  message: 'common/ knows no domain module: declare the interface it needs here instead.',
});
zones.set('transport-repository', {
  target: 'src/**/*.{controller,resolver}.ts',
  from: 'src/**/*.repository.ts',
  message: 'Controllers and resolvers call one service; repositories are the services\' business.',
});

// The zones with a file's baselined imports excepted (except is matched against the imported file).
function zonesFor(exceptions = {}) {
  return [...zones].map(([name, zone]) =>
    exceptions[name] ? { ...zone, except: exceptions[name].map((imported) => `**/${imported}`) } : zone,
  );
}

const unknownZones = Object.values(boundaryBaseline).flatMap((exceptions) =>
  Object.keys(exceptions).filter((name) => !zones.has(name)),
);
if (unknownZones.length > 0) throw new Error(`eslint.boundary-baseline.mjs names unknown zones: ${unknownZones.join(', ')}`);
// A moved or deleted file would leave its exception behind unnoticed; say so instead.
const goneFiles = Object.entries(boundaryBaseline)
  .flatMap(([file, exceptions]) => [file, ...Object.values(exceptions).flat()])
  .filter((file) => !existsSync(file));
if (goneFiles.length > 0) throw new Error(`eslint.boundary-baseline.mjs names files that no longer exist: ${goneFiles.join(', ')}`);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'bench/results/**', 'openapi/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // These two catch real server bugs (a rejected promise nobody awaits, an async handler where a callback
      // returns void); they stay errors. Fire-and-forget must say so with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: an async method that satisfies a promise-returning interface (close(), Apollo's plugin hooks, test
      // doubles) reads better than Promise.resolve() plumbing; a missing await is no-floating-promises' job.
      '@typescript-eslint/require-await': 'off',
      // A variable a callback reads before its single assignment (a server handler and the server it belongs to).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: raw SQL rows (`query()` returns any), jsonb columns and supertest bodies are `any` by design today, which
      // makes the no-unsafe-* family report ~2,700 lines (170 in src/, spread over 60 files). Typed row mappers come
      // with issue 18's repository work; turn these back on module by module as they land.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Modules whose repositories return typed rows (issue 18): the no-unsafe-* family is back on for them.
    files: ['src/{agents,contacts,teams,macros,satisfaction,health,workspaces,triage,assignment}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.js'],
    rules: {
      // Off here: jest's global setup must register ts-node before it requires TypeScript, tests reach the app's
      // DataSource lazily, and autocannon ships no types; src/ keeps the rule.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: zonesFor() }] },
  },
  ...Object.entries(boundaryBaseline).map(([file, exceptions]) => ({
    files: [file],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: zonesFor(exceptions) }] },
  })),
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
  },
);
