import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import { TransactionRunner } from '../../database/transaction-runner';
import { Conflict, ValidationFailed } from '../errors/domain-errors';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

const HEADER = 'idempotency-key';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An authenticated request: an API key or agent token (`user`), or a requester signed in to the portal (`portalSession`). */
type CallerRequest = FastifyRequest & { user?: IdempotencyCaller; portalSession?: { workspaceId: string; contactId: string } };

/** What this interceptor needs of the authenticated principal (auth's Principal has this shape and more). */
export interface IdempotencyCaller {
  workspaceId: string;
  actor: { type: string; id: string };
}

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
  private readonly keys = new IdempotencyKeysRepository();

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
      if (!(await this.keys.tryLock(manager, workspaceId, callerId, key))) {
        throw new Conflict('A request with this Idempotency-Key is still in progress; retry after it completes.', 'idempotency_in_progress');
      }
      const previous = await this.keys.findUnexpired(manager, workspaceId, callerId, key);
      if (previous) {
        if (previous.requestHash !== requestHash) {
          throw ValidationFailed.field('Idempotency-Key', 'was already used with a different request; use a new key for a new request');
        }
        return { body: previous.body, replayed: true };
      }
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.keys.record(manager, { workspaceId, callerId, key, method: request.method, path, requestHash, status, body });
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
