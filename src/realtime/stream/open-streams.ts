import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventStream } from './event-stream';

/** The streams open on this instance, ended with a reason at shutdown so the server can close (and clients resume elsewhere). */
@Injectable()
export class OpenStreams implements OnModuleDestroy {
  private readonly streams = new Set<EventStream>();

  add(stream: EventStream): void {
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
  }

  get size(): number {
    return this.streams.size;
  }

  onModuleDestroy(): void {
    for (const stream of [...this.streams]) stream.close({ reason: 'shutdown', detail: 'The server is shutting down; reconnect with Last-Event-ID.', reconnect: true });
  }
}
