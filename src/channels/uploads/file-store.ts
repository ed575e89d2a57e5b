import { Inject, Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UploadStorage } from '../../config/uploads-config';
import { UploadsRepository } from './uploads.repository';

/** Bytes per stored chunk: large enough for few rows, small enough that a download holds one at a time. */
export const CHUNK_BYTES = 256 * 1024;

/** Where an upload's bytes live. Writes stream the file through in bounded pieces; reads stream it back. */
export interface FileStore {
  write(workspaceId: string, uploadId: string, source: AsyncIterable<Buffer>): Promise<void>;
  read(workspaceId: string, uploadId: string): Readable;
  /** Called after the upload's row is gone (database chunks go with the row). */
  remove(workspaceId: string, uploadId: string): Promise<void>;
}

/** Re-cuts a stream of arbitrary pieces into CHUNK_BYTES pieces, holding at most one chunk. */
async function* rechunk(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let rest = piece;
    while (pendingBytes + rest.length >= CHUNK_BYTES) {
      const take = CHUNK_BYTES - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/** The default: chunks in upload_chunks, each written as it arrives, so a backup of the database holds every file. */
export class DatabaseFileStore implements FileStore {
  constructor(private readonly dataSource: DataSource, private readonly uploads: UploadsRepository) {}

  async write(workspaceId: string, uploadId: string, source: AsyncIterable<Buffer>): Promise<void> {
    let position = 0;
    for await (const chunk of rechunk(source)) await this.uploads.insertChunk(this.dataSource.manager, workspaceId, uploadId, position++, chunk);
  }

  read(workspaceId: string, uploadId: string): Readable {
    const { dataSource, uploads } = this;
    return Readable.from(
      (async function* () {
        for (let position = 0; ; position += 1) {
          const chunk = await uploads.chunk(dataSource.manager, workspaceId, uploadId, position);
          if (!chunk) return;
          yield chunk;
        }
      })(),
      { objectMode: false },
    );
  }

  async remove(): Promise<void> {
    // upload_chunks rows are deleted with their upload (ON DELETE CASCADE).
  }
}

/** UPLOAD_STORAGE=disk: one file per upload under DATA_DIR/uploads/<workspace>/, written to a temporary name first. */
export class DiskFileStore implements FileStore {
  constructor(private readonly directory: string) {}

  private path(workspaceId: string, uploadId: string): string {
    return join(this.directory, workspaceId, uploadId);
  }

  async write(workspaceId: string, uploadId: string, source: AsyncIterable<Buffer>): Promise<void> {
    const target = this.path(workspaceId, uploadId);
    const partial = `${target}.partial`;
    await mkdir(join(this.directory, workspaceId), { recursive: true });
    try {
      await pipeline(Readable.from(source), createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  read(workspaceId: string, uploadId: string): Readable {
    return createReadStream(this.path(workspaceId, uploadId));
  }

  async remove(workspaceId: string, uploadId: string): Promise<void> {
    await rm(this.path(workspaceId, uploadId), { force: true });
  }
}

/** The store uploads are written to (UPLOAD_STORAGE), and the one each existing upload is read from (its row says). */
@Injectable()
export class FileStores {
  private readonly database: DatabaseFileStore;
  private readonly disk: DiskFileStore;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, dataSource: DataSource, uploads: UploadsRepository) {
    this.database = new DatabaseFileStore(dataSource, uploads);
    this.disk = new DiskFileStore(config.uploads.directory);
  }

  get current(): UploadStorage {
    return this.config.uploads.storage;
  }

  of(storage: UploadStorage): FileStore {
    return storage === 'disk' ? this.disk : this.database;
  }
}
