import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import { Principal } from '../../auth/principal';
import { TransactionRunner } from '../../database/transaction-runner';
import { Conflict, ValidationFailed } from '../errors/domain-errors';

const RETENTION_HOURS = 24;
const HEADER = 'idempotency-key';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An authenticated request: an API key or agent token (`user`), or a requester signed in to the portal (`portalSession`). */
type CallerRequest = FastifyRequest & { user?: Principal; portalSession?: { workspaceId: string; contactId: string } };

/** Whose keys these are: a key is only ever matched against the same caller's earlier requests. */
function callerOf(request: CallerRequest): { workspaceId: string; callerId: string } | null {
  if (request.user) return { workspaceId: request.user.workspaceId, callerId: `${request.user.actor.type}:${request.user.actor.id}` };
  if (request.portalSession) return { workspaceId: request.portalSession.workspaceId, callerId: `requester:${request.portalSession.contactId}` };
  return null;
}

/**
 * `Idempotency-Key` on POST: the first response is recorded in the same transaction as the request's
 * effects, so a retry either finds that response or finds nothing happened. The key is scoped to the caller.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly transactions: TransactionRunner, private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const key = request.headers[HEADER];
    const caller = callerOf(request);
    if (request.method !== 'POST' || key === undefined || !caller) return next.handle();
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw ValidationFailed.field('Idempotency-Key', 'must be a single header value of 1 to 255 characters');
    }
    const { workspaceId, callerId } = caller;
    const path = request.url.split('?')[0];
    const requestHash = createHash('sha256').update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const status: number = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    const outcome = this.transactions.run(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [
        `${workspaceId}|${callerId}|${key}`,
      ]);
      if (!locked) {
        throw new Conflict('A request with this Idempotency-Key is still in progress; retry after it completes.', 'idempotency_in_progress');
      }
      const [previous] = await manager.query(
        `SELECT request_hash AS "requestHash", response_status AS "status", response_body AS "body"
           FROM idempotency_keys WHERE workspace_id = $1 AND principal_id = $2 AND key = $3 AND expires_at > now()`,
        [workspaceId, callerId, key],
      );
      if (previous) {
        if (previous.requestHash !== requestHash) {
          throw ValidationFailed.field('Idempotency-Key', 'was already used with a different request; use a new key for a new request');
        }
        return { body: previous.body as unknown, replayed: true };
      }
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await manager.query(
        `INSERT INTO idempotency_keys (workspace_id, principal_id, key, method, path, request_hash, response_status, response_body, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(hours => $9))
         ON CONFLICT (workspace_id, principal_id, key) DO UPDATE
           SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
               response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at`,
        [workspaceId, callerId, key, request.method, path, requestHash, status, body === undefined ? null : JSON.stringify(body), RETENTION_HOURS],
      );
      return { body, replayed: false };
    });

    return from(outcome).pipe(
      map(({ body, replayed }) => {
        if (replayed) context.switchToHttp().getResponse<FastifyReply>().header('idempotent-replayed', 'true');
        return body;
      }),
    );
  }
}
