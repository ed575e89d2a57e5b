import { sanitizeMessageHtml } from './sanitize-message-html';

describe('sanitizeMessageHtml', () => {
  it('removes scripts, event handlers and javascript: links but keeps formatting', () => {
    const clean = sanitizeMessageHtml('<p onclick="x()">Hi <b>there</b><script>alert(1)</script><a href="javascript:alert(1)">x</a></p>');
    expect(clean).toContain('<b>there</b>');
    expect(clean).not.toMatch(/script|onclick|javascript:/);
  });

  it('marks links as nofollow and noopener', () => {
    expect(sanitizeMessageHtml('<a href="https://example.com">x</a>')).toContain('rel="noopener noreferrer nofollow"');
  });
});
