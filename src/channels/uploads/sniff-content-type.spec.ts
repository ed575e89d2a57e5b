import { isActiveContentType, sniffContentType } from './sniff-content-type';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('sniffContentType', () => {
  it.each([
    ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0), 'image/png'],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 1, 2), 'image/jpeg'],
    ['gif', text('GIF89a....'), 'image/gif'],
    ['pdf', text('%PDF-1.7\n'), 'application/pdf'],
    ['zip', bytes(0x50, 0x4b, 0x03, 0x04, 1, 2, 3), 'application/zip'],
    ['webp', text('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), 'image/webp'],
    ['mp4', bytes(0, 0, 0, 0x18, ...text('ftypisom'), 0, 0), 'video/mp4'],
    ['plain text', text('Hello, the printer is broken again.\n'), 'text/plain'],
    ['utf-8 text cut mid-character', Uint8Array.from([...text('Grüße '), 0xe5, 0xb1]), 'text/plain'],
    ['html', text('  <!DOCTYPE html><html><body>hi</body></html>'), 'text/html'],
    ['html after a comment', text('<!-- x --><script>alert(1)</script>'), 'text/html'],
    ['svg', text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml'],
    ['svg with an xml prolog', text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
    ['xml', text('<?xml version="1.0"?><order/>'), 'application/xml'],
    ['shell script', text('#!/bin/sh\nrm -rf /\n'), 'text/x-shellscript'],
    ['binary noise', bytes(0x01, 0x02, 0x03, 0x00, 0xff), 'application/octet-stream'],
    ['invalid utf-8', bytes(0x41, 0xc3, 0x28, 0x41), 'application/octet-stream'],
    ['empty', bytes(), 'text/plain'],
  ])('%s is %s', (_name, head, expected) => {
    expect(sniffContentType(head)).toBe(expected);
  });

  it('calls HTML and SVG active, images and text not', () => {
    expect(['text/html', 'image/svg+xml', 'application/xml', 'text/xml', 'application/javascript', 'application/atom+xml'].every(isActiveContentType)).toBe(true);
    expect(['image/png', 'text/plain', 'application/zip'].some(isActiveContentType)).toBe(false);
  });
});
