import type { FastifyReply } from 'fastify';
import type { AttachmentDownload } from './attachments.service';
import { isActiveContentType } from '../uploads/sniff-content-type';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped from names.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidirectional overrides and isolates turn "gpj.exe" into a name that reads as "exe.jpg".
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_NAME = 200;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/**
 * The name a download is offered under: the last segment of the stored name (senders choose names such as
 * ../../etc/passwd or C:\boot.ini), with no control or bidi characters and no leading dots. The stored name stays as
 * it arrived; only what is sent to a browser is cleaned.
 */
export function downloadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(CONTROL, '').replace(BIDI, '').trim().replace(/^\.+/, '').trim();
  return cleaned ? Array.from(cleaned).slice(0, MAX_NAME).join('') : 'attachment';
}

/** RFC 8187 ext-value: UTF-8, with every byte outside attr-char percent-encoded (encodeURIComponent leaves ' ( ) * alone). */
function extValue(name: string): string {
  return `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** RFC 6266: an ASCII `filename` for old clients (no quotes, backslashes or percent signs to misread) and `filename*` with the real name. */
export function contentDisposition(fileName: string): string {
  const name = downloadName(fileName);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=${extValue(name)}`;
}

/** Sends a stored file as a download: its own type, never sniffed into something a browser would render. */
export async function sendAttachment(reply: FastifyReply, file: AttachmentDownload): Promise<void> {
  const type = MEDIA_TYPE.test(file.contentType) ? file.contentType : 'application/octet-stream';
  void reply
    .header('content-type', type)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('content-length', String(file.size));
  // A page or script type (HTML, SVG, XML) opened anyway runs nothing and reaches nothing.
  if (isActiveContentType(type)) void reply.header('content-security-policy', "default-src 'none'; sandbox");
  await reply.send(file.content);
}
