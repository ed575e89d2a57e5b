// Shared with skipped-reporter.js, which reads the reason back out of the suite's title.
export const SKIP_MARK = ' [skipped: ';

/**
 * `describe` when `reason` is empty, otherwise `describe.skip` with the reason in the title, so that the end of
 * `npm test` lists the suite and why it did not run (a missing Dovecot or Redis) instead of passing quietly.
 */
export function skipBecause(reason: string | null | undefined): (name: string, suite: () => void) => void {
  if (!reason) return describe;
  return (name, suite) => describe.skip(`${name}${SKIP_MARK}${reason}]`, suite);
}
