import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemForStatus } from '../errors/problem';

/**
 * Fastify answers some requests before any route runs (a path parameter over its length limit, a malformed URL):
 * the same problem+json as everywhere else instead of Fastify's own JSON.
 */
export function frameworkErrors(error: Error & { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const detail = status === 414 ? 'A path segment is longer than any id this API issues.' : 'The request URL is not valid.';
  void reply.status(status).header('content-type', PROBLEM_CONTENT_TYPE).send(problemForStatus(status, detail));
}

/** Node's HTTP parser refuses some requests (headers over 16 KiB, bad framing) before Fastify sees them. */
export function clientErrors(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'The request line and headers exceed the 16 KiB limit; send long input in the body.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request took too long to arrive.']
        : [400, 'The request is not valid HTTP.'];
  const body = JSON.stringify(problemForStatus(status, detail));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
