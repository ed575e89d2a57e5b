// A jest reporter, so plain JavaScript: jest loads reporters without ts-jest's transform.
const SKIP_MARK = ' [skipped: ';
const STATUSES = new Set(['pending', 'skipped', 'todo', 'disabled']);

/** The reason recorded by test/support/skip-because in the test's own title or one of its suites'. */
function reasonOf(result) {
  for (const title of [...result.ancestorTitles, result.title]) {
    const at = title.indexOf(SKIP_MARK);
    if (at >= 0) return { reason: title.slice(at + SKIP_MARK.length).replace(/\]$/, ''), suite: title.slice(0, at), marked: true };
  }
  return { reason: 'no reason recorded (skip with skipBecause from test/support/skip-because)', suite: result.ancestorTitles[0] ?? result.title, marked: false };
}

/** Lists, after jest's own summary, every skipped suite and test with why, grouped by file and reason. */
class SkippedReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    // Under -t every test left out by the pattern is skipped too; only the ones that said why are worth listing then.
    this.onlyMarked = Boolean(globalConfig.testNamePattern);
  }

  onRunComplete(_contexts, results) {
    const groups = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (!STATUSES.has(test.status)) continue;
        const { reason, suite, marked } = reasonOf(test);
        if (this.onlyMarked && !marked) continue;
        const path = file.testFilePath.startsWith(this.rootDir) ? file.testFilePath.slice(this.rootDir.length + 1) : file.testFilePath;
        const key = `${path}\u0000${suite}\u0000${reason}`;
        const group = groups.get(key) ?? { path, suite, reason, count: 0 };
        group.count += 1;
        groups.set(key, group);
      }
    }
    if (groups.size === 0) return;
    const lines = [...groups.values()].map(({ path, suite, reason, count }) => `  ${path} › ${suite} (${count} test${count === 1 ? '' : 's'})\n      why: ${reason}`);
    process.stderr.write(`\nSkipped, and why:\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedReporter;
