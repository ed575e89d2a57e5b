import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, DomainError, ValidationFailed } from './domain-errors';
import { TimeBudgetExceeded } from './platform-errors';
import { foreignKeyViolation, invalidInputValue, missingReference, nullInRequiredColumn, queryCanceled } from './postgres-errors';
import { Problem, PROBLEM_CONTENT_TYPE, problemForStatus, problemFromDomainError } from './problem';

const logger = new Logger('Errors');

/** Fastify's own request errors (bad JSON, oversized body, wrong content type) carry a statusCode and a code. */
function fastifyProblem(error: { statusCode?: number; code?: string; message?: string }): Problem | null {
  if (typeof error.statusCode !== 'number' || error.statusCode < 400 || error.statusCode >= 500) return null;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemForStatus(400, 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemForStatus(413, 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemForStatus(415, 'Unsupported Content-Type; send application/json.');
    default:
      return problemForStatus(error.statusCode, error.message ?? 'The request could not be processed.');
  }
}

/** The domain error an exception stands for: itself, or one that a database failure means to the caller. */
export function asDomainError(exception: unknown, request?: { method?: string; url?: string; id?: string }): DomainError | null {
  if (exception instanceof DomainError) return exception;
  if (queryCanceled(exception)) return TimeBudgetExceeded.statement();
  return databaseRefusal(exception, request);
}

/**
 * Constraints refuse some input only the database can check (a referenced row of another workspace, a row still in
 * use); mapped here once, so no service has to translate each foreign key itself.
 */
function databaseRefusal(exception: unknown, request?: { method?: string; url?: string; id?: string }): DomainError | null {
  const reference = missingReference(exception);
  if (reference) return ValidationFailed.field(reference.field, `refers to a row of ${reference.table} that does not exist in this workspace`);
  const nulled = nullInRequiredColumn(exception);
  if (nulled) return ValidationFailed.field(nulled, 'must not be null');
  if (foreignKeyViolation(exception)) return new Conflict('Other records still refer to this one; remove or change them first.', 'still_referenced');
  if (invalidInputValue(exception)) {
    logger.warn({ msg: 'Input refused by the database; a validator is missing', requestId: request?.id, url: request?.url, err: (exception as Error).message });
    return new ValidationFailed([], 'A value in the request is not valid for its field.');
  }
  return null;
}

export function toProblem(exception: unknown, request?: { method?: string; url?: string; id?: string }): Problem {
  const domainError = asDomainError(exception, request);
  if (domainError) return problemFromDomainError(domainError);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (status === 404 && request) return problemForStatus(404, `No route ${request.method} ${request.url?.split('?')[0]}.`);
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    if (status < 500) return problemForStatus(status, detail);
  }
  const fromFastify = typeof exception === 'object' && exception !== null ? fastifyProblem(exception) : null;
  if (fromFastify) return fromFastify;
  const errorId = randomUUID();
  logger.error({ msg: 'Unhandled error', errorId, requestId: request?.id, err: exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : String(exception) });
  return problemForStatus(500, `An unexpected error occurred. Quote error id ${errorId} when reporting it.`, { errorId });
}

@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = toProblem(exception, request);
    if (exception instanceof DomainError) for (const [name, value] of Object.entries(exception.headers)) void reply.header(name, value);
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}
