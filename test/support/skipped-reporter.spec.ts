import { skipBecause } from './skip-because';
const SkippedReporter = require('./skipped-reporter');

type Status = 'passed' | 'pending' | 'todo';
const test = (ancestorTitles: string[], title: string, status: Status) => ({ ancestorTitles, title, status });
const run = (files: Record<string, ReturnType<typeof test>[]>) => ({
  testResults: Object.entries(files).map(([path, testResults]) => ({ testFilePath: `/repo/${path}`, testResults })),
});

function printed(results: ReturnType<typeof run>, testNamePattern?: string): string {
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    new SkippedReporter({ rootDir: '/repo', testNamePattern }).onRunComplete(new Set(), results);
    return write.mock.calls.map(([text]) => String(text)).join('');
  } finally {
    write.mockRestore();
  }
}

describe('the skipped-tests summary', () => {
  const redis = 'rate limits across two instances with Redis [skipped: no Redis answers at redis://127.0.0.1:6379]';
  const results = run({
    'test/security/rate-limits.e2e-spec.ts': [test([redis], 'shares one budget', 'pending'), test([redis], 'fails open', 'pending'), test(['per key'], 'counts', 'passed')],
    'test/tickets.e2e-spec.ts': [test(['tickets'], 'merges', 'todo')],
  });

  it('names each skipped suite once, with how many tests it held and the reason it recorded', () => {
    expect(printed(results)).toBe(
      '\nSkipped, and why:\n' +
        '  test/security/rate-limits.e2e-spec.ts › rate limits across two instances with Redis (2 tests)\n' +
        '      why: no Redis answers at redis://127.0.0.1:6379\n' +
        '  test/tickets.e2e-spec.ts › tickets (1 test)\n' +
        '      why: no reason recorded (skip with skipBecause from test/support/skip-because)\n',
    );
  });

  it('under -t lists only the skips that recorded a reason, not every test the pattern left out', () => {
    expect(printed(results, 'merges')).not.toContain('tickets.e2e-spec.ts');
    expect(printed(results, 'merges')).toContain('no Redis answers');
  });

  it('says nothing when nothing was skipped', () => {
    expect(printed(run({ 'test/a.e2e-spec.ts': [test(['a'], 'b', 'passed')] }))).toBe('');
  });
});

// The helper's side: the reason travels in the title jest reports, which is what the reporter reads.
skipBecause('the reporter reads this reason')('a suite skipped on purpose by its own test file', () => {
  it('never runs', () => {
    throw new Error('a suite given a reason must not run');
  });
});

skipBecause(null)('a suite given no reason', () => {
  it('runs', () => {
    expect(expect.getState().currentTestName).toBe('a suite given no reason runs');
  });
});
