import { DomainError } from '../../common/errors/domain-errors';

/** 413 naming the limit: sent while the upload still streams in, so the connection is closed rather than drained. */
export class UploadLimitExceeded extends DomainError {
  readonly status = 413;
  readonly code = 'upload_limit_exceeded';
  readonly title = 'Payload Too Large';

  constructor(detail: string, limit: { variable: string; value: number }) {
    super(detail);
    this.extensions.limit = limit.variable;
    this.extensions.limitValue = limit.value;
    this.headers.connection = 'close';
  }

  static fileSize(bytes: number): UploadLimitExceeded {
    return new UploadLimitExceeded(`A file is larger than the ${bytes}-byte limit per file (UPLOAD_MAX_FILE_BYTES); nothing of this request was kept.`, {
      variable: 'UPLOAD_MAX_FILE_BYTES', value: bytes,
    });
  }

  static fileCount(files: number): UploadLimitExceeded {
    return new UploadLimitExceeded(`A request may send at most ${files} files (UPLOAD_MAX_FILES_PER_MESSAGE); nothing of this request was kept.`, {
      variable: 'UPLOAD_MAX_FILES_PER_MESSAGE', value: files,
    });
  }

  static total(bytes: number): UploadLimitExceeded {
    return new UploadLimitExceeded(`The files together are larger than the ${bytes}-byte limit per message (UPLOAD_MAX_MESSAGE_BYTES); nothing of this request was kept.`, {
      variable: 'UPLOAD_MAX_MESSAGE_BYTES', value: bytes,
    });
  }
}
