/** How many leading bytes `sniffContentType` looks at. */
export const SNIFF_BYTES = 4100;

type Signature = { type: string; offset?: number; bytes: number[] };

// Magic numbers of the common attachment types. Order matters only where one signature is a prefix of another.
const SIGNATURES: Signature[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/bmp', bytes: [0x42, 0x4d] },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'image/x-icon', bytes: [0x00, 0x00, 0x01, 0x00] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'application/x-7z-compressed', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/vnd.rar', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { type: 'application/x-msdownload', bytes: [0x4d, 0x5a] },
  { type: 'application/x-executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: 'application/x-ole-storage', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { type: 'audio/mpeg', bytes: [0x49, 0x44, 0x33] },
  { type: 'audio/ogg', bytes: [0x4f, 0x67, 0x67, 0x53] },
  { type: 'audio/flac', bytes: [0x66, 0x4c, 0x61, 0x43] },
  { type: 'video/webm', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { type: 'application/wasm', bytes: [0x00, 0x61, 0x73, 0x6d] },
];

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (bytes: Uint8Array, offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));

/**
 * The media type of a file from its first bytes, never from the name or the type the client claimed. Binary formats by
 * their magic numbers; text is told apart by what a browser would do with it (HTML, SVG, XML and scripts are active);
 * anything else is application/octet-stream.
 */
export function sniffContentType(head: Uint8Array): string {
  for (const signature of SIGNATURES) if (startsWith(head, signature.bytes, signature.offset)) return signature.type;
  if (ascii(head, 0, 4) === 'RIFF' && head.length >= 12) {
    const kind = ascii(head, 8, 4);
    if (kind === 'WEBP') return 'image/webp';
    if (kind === 'WAVE') return 'audio/wav';
    if (kind === 'AVI ') return 'video/x-msvideo';
  }
  if (head.length >= 12 && ascii(head, 4, 4) === 'ftyp') {
    const brand = ascii(head, 8, 4);
    if (/^(heic|heix|mif1)/.test(brand)) return 'image/heic';
    if (brand.startsWith('qt')) return 'video/quicktime';
    return brand.startsWith('M4A') ? 'audio/mp4' : 'video/mp4';
  }
  return textType(head);
}

function textType(head: Uint8Array): string {
  const bom = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  const sample = head.subarray(bom);
  if (sample.includes(0)) return 'application/octet-stream';
  let text: string;
  try {
    // A multi-byte character cut at the sample's end is not a reason to call the file binary.
    text = new TextDecoder('utf-8', { fatal: true }).decode(trimPartialCharacter(sample));
  } catch {
    return 'application/octet-stream';
  }
  // eslint-disable-next-line no-control-regex -- control characters other than whitespace mark binary data.
  if (/[\u0001-\u0008\u000e-\u001a\u001c-\u001f]/.test(text)) return 'application/octet-stream';
  const start = text.trimStart().slice(0, 1024).toLowerCase();
  if (start.startsWith('#!')) return 'text/x-shellscript';
  if (/^<\?xml[\s?]/.test(start)) return /<svg[\s>]/.test(text.toLowerCase()) ? 'image/svg+xml' : 'application/xml';
  if (/^<svg[\s>]/.test(start)) return 'image/svg+xml';
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|script|iframe|style|title|meta|a\s|div|table|br|p[\s>]|h1|b[\s>]|font)/.test(start)) return 'text/html';
  if (start.startsWith('{\\rtf')) return 'application/rtf';
  if (start.startsWith('%!ps')) return 'application/postscript';
  return 'text/plain';
}

function trimPartialCharacter(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  let continuation = 0;
  while (end > 0 && continuation < 3 && (bytes[end - 1] & 0xc0) === 0x80) {
    end -= 1;
    continuation += 1;
  }
  if (end === 0) return bytes;
  const lead = bytes[end - 1];
  const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return needed > continuation ? bytes.subarray(0, end - 1) : bytes;
}

/** Types a browser would run or render as a page: always downloaded, never shown inline. */
const ACTIVE = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|application\/xml|text\/xml|text\/javascript|application\/javascript|application\/ecmascript|text\/x-shellscript|application\/x-msdownload|application\/x-executable|application\/wasm|application\/pdf)$/;

export function isActiveContentType(contentType: string): boolean {
  return ACTIVE.test(contentType.toLowerCase().split(';')[0].trim()) || /\+xml$/.test(contentType.toLowerCase());
}
