import { mimeLimitBreach } from './mime-limits';

const limits = { maxParts: 5, maxHeaderLineBytes: 1000, maxHeaderLines: 20 };
const headers = 'From: Ana <ana@example.com>\r\nTo: support@acme.test\r\nSubject: Hello\r\nMIME-Version: 1.0\r\n';

function multipart(parts: number, boundary = 'b1'): string {
  const body = Array.from({ length: parts }, (_, i) => `--${boundary}\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
  return `${headers}Content-Type: multipart/mixed;\r\n boundary="${boundary}"\r\n\r\n${body}--${boundary}--\r\n`;
}

describe('MIME limits', () => {
  it('accepts mail within every limit', () => {
    expect(mimeLimitBreach(Buffer.from(`${headers}\r\nHello\r\n`), limits)).toBeNull();
    expect(mimeLimitBreach(Buffer.from(multipart(5)), limits)).toBeNull();
    expect(mimeLimitBreach(Buffer.from(`${headers}X-Long: ${'a'.repeat(990)}\r\n\r\n${'b'.repeat(100_000)}\r\n`), limits)).toBeNull();
  });

  it('counts parts at the limit and one past it, declared by a folded boundary parameter', () => {
    expect(mimeLimitBreach(Buffer.from(multipart(6)), limits)).toMatchObject({ variable: 'MAIL_MAX_PARTS', limit: 5, message: 'has more than 5 MIME parts' });
  });

  it('counts the parts of nested multiparts and of attached messages', () => {
    const inner = Array.from({ length: 5 }, (_, i) => `--inner\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`).join('');
    const nested = `${headers}Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n${inner}--inner--\r\n--outer--\r\n`;
    expect(mimeLimitBreach(Buffer.from(nested), limits)).toMatchObject({ variable: 'MAIL_MAX_PARTS' });
    const attached = `${headers}Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\n${multipart(5, 'deep')}--outer--\r\n`;
    expect(mimeLimitBreach(Buffer.from(attached), limits)).toMatchObject({ variable: 'MAIL_MAX_PARTS' });
  });

  it('ignores boundary-like lines nobody declared', () => {
    const text = `${headers}\r\n${Array.from({ length: 50 }, () => '--b1\r\n').join('')}`;
    expect(mimeLimitBreach(Buffer.from(text), limits)).toBeNull();
  });

  it('refuses a header line one byte over the limit, in the message or in a part', () => {
    expect(mimeLimitBreach(Buffer.from(`${headers}X-Long: ${'a'.repeat(992)}\r\n\r\nHello\r\n`), limits)).toBeNull();
    expect(mimeLimitBreach(Buffer.from(`${headers}X-Long: ${'a'.repeat(993)}\r\n\r\nHello\r\n`), limits)).toMatchObject({ variable: 'MAIL_MAX_HEADER_LINE_BYTES', limit: 1000 });
    const inPart = multipart(1).replace('Content-Type: text/plain', `Content-Type: text/plain; name="${'x'.repeat(1000)}"`);
    expect(mimeLimitBreach(Buffer.from(inPart), limits)).toMatchObject({ variable: 'MAIL_MAX_HEADER_LINE_BYTES' });
  });

  it('refuses a header section with lines past the limit, continuation lines included', () => {
    const lines = (count: number) => Array.from({ length: count }, (_, i) => `X-${i}: v\r\n`).join('');
    expect(mimeLimitBreach(Buffer.from(`${lines(20)}\r\nHello\r\n`), limits)).toBeNull();
    expect(mimeLimitBreach(Buffer.from(`${lines(21)}\r\nHello\r\n`), limits)).toMatchObject({ variable: 'MAIL_MAX_HEADER_LINES', limit: 20 });
    expect(mimeLimitBreach(Buffer.from(`X-Folded: a\r\n${' b\r\n'.repeat(20)}\r\nHello\r\n`), limits)).toMatchObject({ variable: 'MAIL_MAX_HEADER_LINES' });
  });

  it('reads bare LF line ends too', () => {
    expect(mimeLimitBreach(Buffer.from(multipart(6).replace(/\r\n/g, '\n')), limits)).toMatchObject({ variable: 'MAIL_MAX_PARTS' });
  });
});
