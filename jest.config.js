/** Unit specs live beside the code; API tests in test/. One PostgreSQL serves the whole run (see test/support). */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', diagnostics: false }] },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // jest's default on 2 cores is one worker, but most of a file's time is spent waiting on PostgreSQL, servers and
  // background work: two files at once took the suite from 8m56s to 5m38s on the shared 2-core machine, all passing.
  maxWorkers: 2,
  // After jest's summary, which skipped suites did not run and why (no Dovecot, no Redis): see test/support/skip-because.ts.
  reporters: ['default', '<rootDir>/test/support/skipped-reporter.js'],
};
