import { HttpException, Logger, NotFoundException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsEmail, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { GraphQLError } from 'graphql';
import { Conflict, DomainError, Forbidden, InvalidCursor, InvalidTransition, ResourceNotFound, TicketClosed, Unauthenticated, ValidationFailed, VersionConflict } from './domain-errors';
import { formatGraphQLError } from './graphql-errors';
import { PayloadTooLarge, TimeBudgetExceeded } from './platform-errors';
import { toProblem } from './problem-exception.filter';
import { createValidationPipe } from './validation';

const TYPE = 'https://deskline.dev/problems/';

describe('domain errors as problem+json', () => {
  it.each<[string, DomainError, number, string, Record<string, unknown>]>([
    ['ResourceNotFound', new ResourceNotFound('ticket', 'abc'), 404, 'not-found', {}],
    ['ValidationFailed', ValidationFailed.field('requester.email', 'must be an email'), 422, 'validation-failed', { errors: [{ field: 'requester.email', message: 'must be an email' }] }],
    ['Conflict', new Conflict('Still in progress.', 'idempotency_in_progress'), 409, 'idempotency-in-progress', {}],
    ['InvalidTransition', new InvalidTransition('resolved', 'pending', ['open', 'closed']), 409, 'invalid-transition', { from: 'resolved', to: 'pending', allowed: ['open', 'closed'] }],
    ['TicketClosed', new TicketClosed(7), 409, 'ticket-closed', {}],
    ['VersionConflict', new VersionConflict('"2"', 3), 412, 'precondition-failed', { currentVersion: 3 }],
    ['Unauthenticated', new Unauthenticated('No credential.'), 401, 'unauthenticated', {}],
    ['Forbidden', new Forbidden('Admins only.'), 403, 'forbidden', {}],
    ['InvalidCursor', new InvalidCursor('cursor', 'is not a cursor issued by this API'), 400, 'invalid-cursor', { errors: [{ field: 'cursor', message: 'is not a cursor issued by this API' }] }],
    ['PayloadTooLarge', new PayloadTooLarge(1024, 'BODY_LIMIT_BYTES'), 413, 'payload-too-large', { limitBytes: 1024 }],
    ['TimeBudgetExceeded', TimeBudgetExceeded.request(5000), 503, 'request-timeout', { budgetMs: 5000 }],
  ])('%s keeps its status, a stable type, its detail and its extensions', (_, error, status, type, extensions) => {
    expect(toProblem(error)).toEqual({ type: TYPE + type, title: error.title, status, detail: error.detail, ...extensions });
  });

  it('carries the same code and fields in GraphQL as in REST', () => {
    const error = ValidationFailed.field('subject', 'must not be empty');
    const formatted = formatGraphQLError({ message: 'x', path: ['createTicket'] }, new GraphQLError('x', { originalError: error, path: ['createTicket'] }));
    expect(formatted.message).toBe(error.detail);
    expect(formatted.extensions).toEqual({ code: 'VALIDATION_FAILED', status: 422, errors: toProblem(error).errors });
  });
});

describe('database refusals as problem+json', () => {
  // TypeORM wraps the driver's error as driverError; the mapping reads either.
  const wrapped = (driverError: Record<string, unknown>) => Object.assign(new Error('query failed'), { driverError });

  it('names the field of a reference to a row that does not exist in the workspace', () => {
    const problem = toProblem(wrapped({ code: '23503', detail: 'Key (workspace_id, team_id)=(w, t) is not present in table "teams".' }));
    expect(problem).toMatchObject({ status: 422, type: TYPE + 'validation-failed', errors: [{ field: 'teamId', message: 'refers to a row of teams that does not exist in this workspace' }] });
  });

  it('answers 409 still_referenced for a row other rows still refer to', () => {
    const problem = toProblem(wrapped({ code: '23503', detail: 'Key (id)=(x) is still referenced from table "tickets".' }));
    expect(problem).toMatchObject({ status: 409, type: TYPE + 'still-referenced' });
  });

  it('names the field a caller set to null where it cannot be', () => {
    expect(toProblem({ code: '23502', column: 'assignee_id' })).toMatchObject({ status: 422, errors: [{ field: 'assigneeId', message: 'must not be null' }] });
  });

  it('answers a cancelled statement with 503 statement_timeout', () => {
    expect(toProblem(wrapped({ code: '57014' }))).toMatchObject({ status: 503, type: TYPE + 'statement-timeout' });
  });

  it('answers input only the database refused with 422, without echoing its message', () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const problem = toProblem(Object.assign(new Error('invalid input syntax for type uuid: "secret-value"'), { code: '22P02' }));
    expect(problem).toMatchObject({ status: 422, type: TYPE + 'validation-failed', errors: [] });
    expect(JSON.stringify(problem)).not.toContain('secret-value');
  });
});

describe('framework errors as problem+json', () => {
  it('answers an unknown route with 404 naming the method and path, without the query', () => {
    expect(toProblem(new NotFoundException(), { method: 'GET', url: '/v1/nothing?token=x' })).toMatchObject({ status: 404, type: TYPE + 'not-found', detail: 'No route GET /v1/nothing.' });
  });

  it('keeps a 4xx HttpException as its status', () => {
    expect(toProblem(new HttpException('Too many', 429))).toMatchObject({ status: 429, type: TYPE + 'too-many-requests', detail: 'Too many' });
  });

  it('maps Fastify body errors to 400, 413 and 415', () => {
    expect(toProblem({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Unexpected token' })).toMatchObject({ status: 400, type: TYPE + 'bad-request' });
    expect(toProblem({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).toMatchObject({ status: 413, type: TYPE + 'payload-too-large' });
    expect(toProblem({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' })).toMatchObject({ status: 415, type: TYPE + 'unsupported-media-type' });
  });
});

describe('unknown errors', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, unknown]>([
    ['an Error', new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2')],
    ['a thrown string', 'hunter2 at /srv/deskline/src/secret.ts:12'],
    ['a 5xx HttpException', new HttpException('upstream hunter2', 502)],
  ])('become a 500 with an error id and no internals: %s', (_, thrown) => {
    const problem = toProblem(thrown, { method: 'POST', url: '/v1/tickets', id: 'req-1' });
    expect(problem).toEqual({
      type: TYPE + 'internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: `An unexpected error occurred. Quote error id ${String(problem.errorId)} when reporting it.`,
      errorId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    expect(JSON.stringify(problem)).not.toMatch(/hunter2|ECONNREFUSED|secret\.ts|at /);
    // The internals go to the log instead, under the same id, so the report can be matched to them.
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ errorId: problem.errorId, requestId: 'req-1' }));
  });

  it('gets a new error id each time', () => {
    expect(toProblem(new Error('a')).errorId).not.toBe(toProblem(new Error('a')).errorId);
  });

  it('become INTERNAL_SERVER_ERROR in GraphQL with the error id and no internals', () => {
    const formatted = formatGraphQLError({ message: 'password=hunter2', path: ['tickets'] }, new GraphQLError('password=hunter2', { originalError: new Error('password=hunter2'), path: ['tickets'] }));
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', status: 500, errorId: expect.any(String) });
    expect(JSON.stringify(formatted)).not.toContain('hunter2');
  });
});

class Requester {
  @IsEmail() email: string;
}

class Ticket {
  @IsString() @MaxLength(10) subject: string;
  @IsDefined() @ValidateNested() @Type(() => Requester) requester: Requester;
  @IsOptional() @IsArray() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Requester) cc?: Requester[];
  @IsOptional() @IsArray() @ArrayMaxSize(3) @IsString({ each: true }) @MaxLength(5, { each: true }) tags?: string[];
}

describe('invalid input as errors[]', () => {
  const pipe = createValidationPipe();
  async function fieldsOf(body: unknown): Promise<string[]> {
    const error: unknown = await pipe.transform(body, { type: 'body', metatype: Ticket }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    const problem = toProblem(error);
    expect(problem).toMatchObject({ status: 422, type: TYPE + 'validation-failed' });
    return problem.errors!.map((e) => e.field);
  }

  it('names nested fields with dots and items of nested lists with brackets', async () => {
    const body = { subject: 'Printer on fire', requester: { email: 'nope' }, cc: [{ email: 'a@example.com' }, { email: 'nope' }] };
    expect(await fieldsOf(body)).toEqual(['subject', 'requester.email', 'cc[1].email']);
  });

  it('names a list of values by the list, with one message per broken rule', async () => {
    const problem = toProblem(await pipe.transform({ subject: 'Hi', requester: { email: 'a@example.com' }, tags: ['ok', 'too long', 7] }, { type: 'body', metatype: Ticket }).catch((e: unknown) => e));
    expect(problem.errors).toEqual([
      { field: 'tags', message: expect.stringContaining('shorter than or equal to 5') },
      { field: 'tags', message: expect.stringContaining('must be a string') },
    ]);
  });

  it('names unknown fields, at any depth, instead of dropping them silently', async () => {
    expect(await fieldsOf({ subject: 'Hi', requester: { email: 'a@example.com', admin: true }, role: 'admin' })).toEqual(['role', 'requester.admin']);
  });

  it('names a missing required field', async () => {
    expect(await fieldsOf({ subject: 'Hi' })).toEqual(['requester']);
  });

  it('refuses text PostgreSQL cannot store, naming the field, before validating', async () => {
    expect(await fieldsOf({ subject: 'a\u0000b', requester: { email: 'a@example.com' } })).toEqual(['subject']);
  });
});
