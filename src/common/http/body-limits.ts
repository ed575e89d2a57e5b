import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Transform, TransformCallback } from 'node:stream';
import { PayloadTooLarge } from '../errors/platform-errors';

export interface BodyLimit {
  bytes: number;
  /** The setting that changes it, named in the 413 problem. */
  variable: string;
  /**
   * The handler reads the raw request itself and enforces its own limits while streaming (multipart uploads): a
   * chunked body is not metered here, since nothing would read the metered copy and the raw stream would stall on it.
   */
  readByHandler?: boolean;
}

/**
 * Refuses bodies over their limit with a 413 problem that clients can actually read. Fastify answers as soon as it sees
 * the size and closes the connection while the client is still sending; the unread bytes make the kernel reset the
 * connection, and clients that write the whole body before reading (Node's fetch) see only a broken pipe. So the rest
 * of the body is read and thrown away first, up to `drainBytes` past the limit; beyond that the connection is closed.
 * Fastify's own limits stay as the backstop.
 */
export function refuseOversizedBodies(fastify: FastifyInstance, limitFor: (contentType: string | undefined) => BodyLimit, drainBytes: number): void {
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    const limit = limitFor(request.headers['content-type']);
    const declared = Number(request.headers['content-length']);
    if (declared > limit.bytes) {
      if (declared - limit.bytes > drainBytes) {
        void reply.header('connection', 'close');
        done(new PayloadTooLarge(limit.bytes, limit.variable));
        return;
      }
      void discard(payload).then(() => done(new PayloadTooLarge(limit.bytes, limit.variable)));
      return;
    }
    // Without a declared length (chunked), the size is known only while reading.
    if (Number.isNaN(declared) && request.headers['transfer-encoding'] !== undefined && !limit.readByHandler) {
      const meter = new BodyMeter(limit, drainBytes, reply);
      payload.on('error', (error) => meter.destroy(error));
      done(null, payload.pipe(meter));
      return;
    }
    done(null, payload);
  });
}

function discard(body: Readable): Promise<void> {
  return new Promise((resolve) => {
    const finished = () => resolve();
    body.on('data', () => undefined);
    body.once('end', finished);
    body.once('error', finished);
    body.once('close', finished);
    body.resume();
  });
}

/** Passes a chunked body through while it is within its limit, then swallows the rest up to the drain bound. */
class BodyMeter extends Transform {
  private received = 0;

  constructor(private readonly limit: BodyLimit, private readonly drainBytes: number, private readonly reply: FastifyReply) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received <= this.limit.bytes) return callback(null, chunk);
    if (this.received - this.limit.bytes > this.drainBytes) {
      void this.reply.header('connection', 'close');
      return callback(new PayloadTooLarge(this.limit.bytes, this.limit.variable));
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    callback(this.received > this.limit.bytes ? new PayloadTooLarge(this.limit.bytes, this.limit.variable) : null);
  }
}
