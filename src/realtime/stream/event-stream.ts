import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

export interface StreamLimits {
  heartbeatMs: number;
  maxBufferedBytes: number;
}

/** Why a stream ended, sent as a last `stream.closed` event so the client knows whether to reconnect. */
export interface CloseReason {
  reason: 'credential_revoked' | 'credential_expired' | 'shutdown' | 'slow_consumer' | 'cursor_expired' | 'error';
  detail: string;
  /** Whether reconnecting (with the same or a renewed credential) makes sense. */
  reconnect: boolean;
}

/**
 * One server-sent-events response, written straight to the socket: the reply is hijacked, so Fastify's serialisers,
 * the request time budget (which stands down once headers are out) and the ETag interceptor leave it alone.
 * A client that reads slower than events come is cut off once its unsent bytes pass maxBufferedBytes; it resumes
 * from its last id, and the server's memory never holds more than the bound per stream.
 */
export class EventStream {
  private readonly raw: ServerResponse;
  private heartbeat: NodeJS.Timeout | null = null;
  private ended = false;
  private readonly closeListeners: Array<() => void> = [];

  constructor(reply: FastifyReply, private readonly limits: StreamLimits) {
    reply.hijack();
    this.raw = reply.raw;
    // Headers set by hooks so far (request id, CORS, helmet, rate limits) would be lost with the hijacked reply.
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    this.raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    this.raw.socket?.setNoDelay(true);
    this.raw.on('close', () => this.finish());
    this.write(`retry: 2000\n: connected\n\n`);
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get closed(): boolean {
    return this.ended;
  }

  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  send(id: string | null, type: string, data: unknown): void {
    const lines = [`${id !== null ? `id: ${id}\n` : ''}event: ${type}\n`, `data: ${JSON.stringify(data)}\n\n`];
    this.write(lines.join(''));
  }

  /** Ends the stream with a last `stream.closed` event saying why. */
  close(reason: CloseReason): void {
    if (this.ended) return;
    this.send(null, 'stream.closed', reason);
    this.raw.end();
    this.finish();
  }

  private write(chunk: string): void {
    if (this.ended) return;
    this.raw.write(chunk);
    const unsent = this.raw.writableLength + (this.raw.socket?.writableLength ?? 0);
    if (unsent > this.limits.maxBufferedBytes) {
      // No goodbye event: it would only queue behind the bytes the client is not reading.
      this.raw.destroy();
      this.finish();
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
