import type { FastifyReply } from 'fastify';
import type { AttachmentDownload } from './attachments.service';

/** An attachment disposition safe for any file name: ASCII fallback plus RFC 5987 UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Sends a stored file as a download: its own type, never sniffed into something a browser would render. */
export async function sendAttachment(reply: FastifyReply, file: AttachmentDownload): Promise<void> {
  await reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .send(file.content);
}
