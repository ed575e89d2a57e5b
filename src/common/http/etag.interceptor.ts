import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';

/** A versioned resource's ETag is its version; others get a weak ETag over their representation. */
export function etagFor(resource: Record<string, unknown>): string {
  if (typeof resource.version === 'number') return `"${resource.version}"`;
  return `W/"${createHash('sha1').update(JSON.stringify(resource)).digest('base64url').slice(0, 22)}"`;
}

/** Single resources (bare objects, not `{data: [...]}` lists) carry an ETag on every read and write. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body) => {
        if (body && typeof body === 'object' && !Array.isArray(body) && !('data' in body) && 'id' in body) {
          reply.header('etag', etagFor(body as Record<string, unknown>));
        }
        return body;
      }),
    );
  }
}
