export interface MimeLimits {
  maxParts: number;
  maxHeaderLineBytes: number;
  maxHeaderLines: number;
}

export interface MimeLimitBreach {
  /** The environment variable that sets the limit, so the refusal says what to change. */
  variable: 'MAIL_MAX_PARTS' | 'MAIL_MAX_HEADER_LINE_BYTES' | 'MAIL_MAX_HEADER_LINES';
  limit: number;
  message: string;
}

const BOUNDARY = /boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s"]{1,200}))/i;
const EMBEDDED_MESSAGE = /^content-type\s*:\s*message\/(rfc822|global)\b/i;

/**
 * Walks the MIME skeleton of a raw email (header sections and boundary lines, no decoding) and answers the first limit
 * it breaks, before the parser is given a message built to exhaust it: parts are counted by the boundaries the
 * headers declare, header lines per section (the message's and each part's), and each header line's length in bytes.
 */
export function mimeLimitBreach(raw: Buffer, limits: MimeLimits): MimeLimitBreach | null {
  const boundaries = new Set<string>();
  let inHeader = true;
  let headerLines = 0;
  let contentType: string | null = null;
  let inContentType = false;
  let parts = 0;
  for (let start = 0; start < raw.length; ) {
    const newline = raw.indexOf(0x0a, start);
    const next = newline === -1 ? raw.length : newline + 1;
    let end = newline === -1 ? raw.length : newline;
    if (end > start && raw[end - 1] === 0x0d) end--;
    if (inHeader) {
      if (end === start) {
        // The end of a header section; a message/rfc822 part's body opens a header section of its own.
        const boundary = contentType === null ? null : BOUNDARY.exec(contentType);
        if (boundary) boundaries.add(boundary[1] ?? boundary[2]);
        inHeader = contentType !== null && EMBEDDED_MESSAGE.test(contentType);
        headerLines = 0;
        contentType = null;
        inContentType = false;
      } else {
        if (end - start > limits.maxHeaderLineBytes) {
          return { variable: 'MAIL_MAX_HEADER_LINE_BYTES', limit: limits.maxHeaderLineBytes, message: `has a header line longer than ${limits.maxHeaderLineBytes} bytes` };
        }
        if (++headerLines > limits.maxHeaderLines) {
          return { variable: 'MAIL_MAX_HEADER_LINES', limit: limits.maxHeaderLines, message: `has a header section of more than ${limits.maxHeaderLines} lines` };
        }
        const continued = raw[start] === 0x20 || raw[start] === 0x09;
        const line = raw.toString('latin1', start, end);
        if (continued) {
          if (inContentType) contentType += line;
        } else {
          inContentType = /^content-type\s*:/i.test(line);
          if (inContentType) contentType = line;
        }
      }
    } else if (boundaries.size > 0 && raw[start] === 0x2d && raw[start + 1] === 0x2d && end - start <= 204) {
      const delimiter = raw.toString('latin1', start + 2, end).replace(/[ \t]+$/, '');
      if (boundaries.has(delimiter)) {
        if (++parts > limits.maxParts) {
          return { variable: 'MAIL_MAX_PARTS', limit: limits.maxParts, message: `has more than ${limits.maxParts} MIME parts` };
        }
        inHeader = true;
      }
    }
    start = next;
  }
  return null;
}
