import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock/clock';
import { ValidationFailed } from '../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AttachmentRequest, MessageAttachmentBinder } from '../../tickets/conversation/message-attachments';
import { MessageAttachmentView } from '../../tickets/dto/message.dto';
import { AttachmentsRepository } from '../attachments/attachments.repository';
import { FileStores } from './file-store';
import { SNIFF_BYTES, sniffContentType } from './sniff-content-type';
import { UploadView } from './upload.dto';
import { UploadLimitExceeded } from './upload-errors';
import { UploaderType, UploadRow, UploadsRepository } from './uploads.repository';

/** One file of a multipart request, as it streams in; `truncated` is set by the parser when it cut the file at its limit. */
export interface IncomingFile {
  filename: string;
  content: AsyncIterable<Buffer> & { truncated?: boolean };
}

const EXPIRY_BATCH = 500;

/**
 * Files uploaded before the message that carries them: streamed into the configured store as they arrive (never held
 * whole), typed by their bytes, bound to the caller who sent them, kept once a message or macro references them and
 * removed by the expiry job otherwise.
 */
@Injectable()
export class UploadsService implements MessageAttachmentBinder {
  private readonly logger = new Logger('Uploads');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly uploads: UploadsRepository,
    private readonly attachments: AttachmentsRepository,
    private readonly stores: FileStores,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores every file of one request, or none: a file over a limit, or a broken request, removes what this request
   * stored already. Each file's bytes are written chunk by chunk as they arrive (autocommitted, outside any request
   * transaction, so a long upload holds no locks); the row exists first, with its expiry, so a crash leaves nothing
   * the expiry job does not remove.
   */
  async receive(principal: Principal, files: AsyncIterable<IncomingFile>): Promise<UploadView[]> {
    const limits = this.config.uploads;
    const stored: Array<{ id: string; storage: UploadRow['storage'] }> = [];
    const views: UploadView[] = [];
    let total = 0;
    try {
      for await (const file of files) {
        if (views.length >= limits.maxFilesPerMessage) throw UploadLimitExceeded.fileCount(limits.maxFilesPerMessage);
        const id = randomUUID();
        const storage = this.stores.current;
        const expiresAt = new Date(this.clock.now().getTime() + limits.ttlSeconds * 1000);
        await this.uploads.insert(this.dataSource.manager, {
          workspaceId: principal.workspaceId, id, ...uploaderOf(principal), fileName: file.filename || 'file', storage, expiresAt,
        });
        stored.push({ id, storage });
        const meter = { bytes: 0, head: Buffer.alloc(0) };
        await this.stores.of(storage).write(principal.workspaceId, id, this.metered(file.content, meter, limits.maxFileBytes, () => {
          if (total + meter.bytes > limits.maxMessageBytes) throw UploadLimitExceeded.total(limits.maxMessageBytes);
        }));
        total += meter.bytes;
        const contentType = sniffContentType(meter.head);
        await this.uploads.complete(this.dataSource.manager, principal.workspaceId, id, meter.bytes, contentType, this.clock.now());
        views.push({ id, filename: file.filename || 'file', size: meter.bytes, contentType, expiresAt });
      }
    } catch (error) {
      await this.discard(principal.workspaceId, stored);
      throw error;
    }
    if (views.length === 0) throw ValidationFailed.field('files', 'send at least one file (multipart/form-data file part)');
    return views;
  }

  /** Passes the bytes on while counting them, keeping the first SNIFF_BYTES for the type; stops at the limit. */
  private async *metered(source: IncomingFile['content'], meter: { bytes: number; head: Buffer }, maxBytes: number, check: () => void): AsyncGenerator<Buffer> {
    for await (const piece of source) {
      const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
      meter.bytes += chunk.length;
      if (meter.bytes > maxBytes || source.truncated) throw UploadLimitExceeded.fileSize(maxBytes);
      check();
      if (meter.head.length < SNIFF_BYTES) meter.head = Buffer.concat([meter.head, chunk.subarray(0, SNIFF_BYTES - meter.head.length)]);
      yield chunk;
    }
    // The parser ends a file it cut at the limit without an error of its own.
    if (source.truncated) throw UploadLimitExceeded.fileSize(maxBytes);
  }

  private async discard(workspaceId: string, stored: Array<{ id: string; storage: UploadRow['storage'] }>): Promise<void> {
    for (const upload of stored) {
      try {
        await this.uploads.remove(this.dataSource.manager, workspaceId, upload.id);
        await this.stores.of(upload.storage).remove(workspaceId, upload.id);
      } catch (error) {
        // The row keeps its expiry: the job removes it later.
        this.logger.warn({ msg: 'Could not remove a refused upload; the expiry job will', uploadId: upload.id, error: (error as Error).message });
      }
    }
  }

  /** The binder tickets asks, inside the new message's transaction. */
  async attach(manager: EntityManager, principal: Principal, ticketId: string, messageId: string, request: AttachmentRequest): Promise<MessageAttachmentView[]> {
    const rows = await this.checkReferences(manager, principal, request.uploadIds, request.field, { anyUploader: request.anyUploader ?? false });
    const views = await this.attachments.insertFromUploads(manager, principal.workspaceId, ticketId, messageId, rows);
    await this.uploads.keep(manager, principal.workspaceId, request.uploadIds);
    return views;
  }

  /**
   * A macro's files: checked like a message's (the caller's own uploads, within the limits), then kept for as long as
   * the macro may send them. Called by the macros service inside its transaction.
   */
  async keep(manager: EntityManager, principal: Principal, uploadIds: string[], field: string): Promise<void> {
    if (uploadIds.length === 0) return;
    await this.checkReferences(manager, principal, uploadIds, field, { anyUploader: false });
    await this.uploads.keep(manager, principal.workspaceId, uploadIds);
  }

  private async checkReferences(manager: EntityManager, principal: Principal, ids: string[], field: string, options: { anyUploader: boolean }): Promise<UploadRow[]> {
    const limits = this.config.uploads;
    if (new Set(ids).size !== ids.length) throw ValidationFailed.field(field, 'names an upload more than once');
    if (ids.length > limits.maxFilesPerMessage) {
      throw ValidationFailed.field(field, `at most ${limits.maxFilesPerMessage} files per message (UPLOAD_MAX_FILES_PER_MESSAGE)`);
    }
    const rows = await this.uploads.lock(manager, principal.workspaceId, ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const uploader = uploaderOf(principal);
    const now = this.clock.now();
    for (const id of ids) {
      const row = byId.get(id);
      const usable = row && row.completed && (options.anyUploader || (row.uploaderType === uploader.uploaderType && row.uploaderId === uploader.uploaderId))
        && (row.expiresAt === null || row.expiresAt.getTime() > now.getTime());
      if (!usable) throw ValidationFailed.field(field, `upload ${id} is not one of your uploads in this workspace (or it expired); upload the file again`);
    }
    const total = rows.reduce((sum, row) => sum + Number(row.size), 0);
    if (total > limits.maxMessageBytes) {
      throw ValidationFailed.field(field, `the files together are ${total} bytes, over the ${limits.maxMessageBytes}-byte limit per message (UPLOAD_MAX_MESSAGE_BYTES)`);
    }
    return ids.map((id) => byId.get(id)!);
  }

  /** The bytes of an upload, streamed from wherever they are stored. */
  open(workspaceId: string, upload: { id: string; storage: UploadRow['storage'] }): Readable {
    return this.stores.of(upload.storage).read(workspaceId, upload.id);
  }

  /** Removes expired, unreferenced uploads (every workspace), batch by batch; answers how many. */
  async removeExpired(now: Date = this.clock.now()): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.uploads.deleteExpired(this.dataSource.manager, now, EXPIRY_BATCH);
      for (const upload of batch) await this.stores.of(upload.storage).remove(upload.workspaceId, upload.id).catch(() => undefined);
      removed += batch.length;
      if (batch.length < EXPIRY_BATCH) return removed;
    }
  }
}

/** Who an upload belongs to: the agent, the API key or the portal requester that sent it. */
export function uploaderOf(principal: Principal): { uploaderType: UploaderType; uploaderId: string } {
  const type = principal.actor.type as string;
  return { uploaderType: type === 'contact' ? 'contact' : type === 'agent' ? 'agent' : 'api_key', uploaderId: principal.actor.id };
}
