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
  // After jest's summary, which skipped suites did not run and why (no Dovecot, no Redis): see test/support/skip-because.ts.
  reporters: ['default', '<rootDir>/test/support/skipped-reporter.js'],
};
