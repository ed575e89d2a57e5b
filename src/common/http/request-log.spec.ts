import { SingleLineRequestLog } from './request-log';

describe('SingleLineRequestLog', () => {
  const lines: Array<{ level: string; line: Record<string, unknown> }> = [];
  const reply = (statusCode: number) => ({
    statusCode,
    elapsedTime: 12.5,
    log: { info: (line: Record<string, unknown>) => lines.push({ level: 'info', line }), error: (line: Record<string, unknown>) => lines.push({ level: 'error', line }) },
  });
  beforeEach(() => (lines.length = 0));

  it('writes one line per request with its duration and the workspace of the accepted credential', () => {
    new SingleLineRequestLog().requestCompleted(null, { method: 'GET', url: '/v1/tickets', user: { workspaceId: 'w-1' } }, reply(200));
    expect(lines).toEqual([{ level: 'info', line: { method: 'GET', url: '/v1/tickets', statusCode: 200, responseTime: 12.5, workspaceId: 'w-1' } }]);
  });

  it('leaves the workspace out when no credential was accepted', () => {
    new SingleLineRequestLog().requestCompleted(null, { method: 'GET', url: '/health' }, reply(200));
    expect(lines[0].line.workspaceId).toBeUndefined();
  });
});
