import type { FastifyRequest } from 'fastify';
import { DomainError, ValidationFailed } from '../../common/errors/domain-errors';
import type { UploadsConfig } from '../../config/uploads-config';
import { UploadLimitExceeded } from './upload-errors';
import type { IncomingFile } from './uploads.service';

class UnsupportedMediaType extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  readonly title = 'Unsupported Media Type';
}

/**
 * The file parts of a multipart/form-data request as they stream in (@fastify/multipart over busboy): one file at a
 * time, each cut at UPLOAD_MAX_FILE_BYTES by the parser itself, other fields ignored. The parser's errors become
 * problems that name the limit.
 */
export async function* multipartFiles(request: FastifyRequest, limits: UploadsConfig): AsyncGenerator<IncomingFile> {
  if (!request.isMultipart()) throw new UnsupportedMediaType('Send the files as multipart/form-data, one file part per file.');
  const parts = request.parts({
    limits: { fileSize: limits.maxFileBytes, files: limits.maxFilesPerMessage, fields: 20, fieldSize: 1024, parts: limits.maxFilesPerMessage + 20 },
  });
  try {
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      // The parser only marks a file it cut and keeps parsing the rest of the body; stop at once instead: the reader
      // fails and the 413 goes out while the client is still sending.
      part.file.once('limit', () => {
        stopReading(request);
        part.file.destroy(UploadLimitExceeded.fileSize(limits.maxFileBytes));
      });
      yield { filename: part.filename, content: part.file };
    }
  } catch (error) {
    throw translated(error, limits);
  }
}

/** Past the drain bound a client still sending is cut off; below it, the rest is read and thrown away unparsed. */
const DRAIN_BYTES = 8 * 1024 * 1024;

/**
 * Stops parsing the body. The remainder is discarded rather than left unread (clients that write the whole body
 * before reading, such as Node's, would otherwise see a reset instead of the 413), up to DRAIN_BYTES; the 413 closes
 * the connection.
 */
function stopReading(request: FastifyRequest): void {
  const raw = request.raw;
  raw.unpipe();
  let drained = 0;
  raw.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) raw.destroy();
  });
  raw.resume();
}

function translated(error: unknown, limits: UploadsConfig): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return UploadLimitExceeded.fileSize(limits.maxFileBytes);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') return UploadLimitExceeded.fileCount(limits.maxFilesPerMessage);
  if (code === 'FST_FIELDS_LIMIT') return ValidationFailed.field('fields', 'send at most 20 non-file fields');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new UnsupportedMediaType('Send the files as multipart/form-data, one file part per file.');
  if (error instanceof DomainError) return error;
  const message = (error as Error).message ?? '';
  if (/multipart|boundary|part terminated|unexpected end/i.test(message)) return ValidationFailed.field('files', `the multipart body is malformed: ${message.slice(0, 200)}`);
  return error;
}
