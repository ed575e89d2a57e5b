import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { IS_PUBLIC, REQUIRED_ROLE, REQUIRED_SCOPE } from '../auth/auth.decorators';
import { PortalGuard } from '../channels/portal/portal.guard';
import { PROBLEM_CONTENT_TYPE } from '../common/errors/problem';

/** What the guards of one route require, read from the same metadata the guards read. */
export interface RouteAccess {
  authenticated: boolean;
  portal: boolean;
  adminOnly: boolean;
  scope?: string;
}

type Json = Record<string, any>;  

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** Probes are exempt from rate limits (see rate-limits.ts), so their responses carry no RateLimit headers and never 429. */
const UNLIMITED_PATHS = new Set(['/health', '/health/ready']);

/** operationId (`Controller_method`, as buildOpenApiDocument names them) to the access rules of that handler. */
export function routeAccessOf(app: NestFastifyApplication): Map<string, RouteAccess> {
  const access = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller?.prototype) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[method];
        if (typeof handler !== 'function' || method === 'constructor' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const read = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
        const guards = [...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])];
        const portal = guards.includes(PortalGuard);
        access.set(`${controller.name.replace(/Controller$/, '')}_${method}`, {
          authenticated: portal || read<boolean>(IS_PUBLIC) !== true,
          portal,
          adminOnly: read<string>(REQUIRED_ROLE) === 'admin',
          scope: read<string>(REQUIRED_SCOPE),
        });
      }
    }
  }
  return access;
}

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description:
    'An error, as RFC 9457 problem details (`application/problem+json`). `type` is stable and machine-readable; ' +
    'problems may carry more members than listed (e.g. `allowed` on an invalid status transition, `limitBytes` on 413, `errorId` on 500).',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', maxLength: 200, example: 'https://deskline.dev/problems/validation-failed' },
    title: { type: 'string', maxLength: 200, example: 'Validation Failed' },
    status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599, example: 422 },
    detail: { type: 'string', example: 'subject: subject must be shorter than or equal to 500 characters' },
    instance: { type: 'string', description: 'The request path the problem occurred on, when known.' },
    errors: {
      type: 'array',
      description: 'On 422: one entry per invalid field, with its dotted path (`requester.email`, `tags[2]`).',
      maxItems: 1000,
      items: { $ref: '#/components/schemas/ProblemFieldError' },
    },
  },
  additionalProperties: true,
};

const FIELD_ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['field', 'message'],
  properties: {
    // Field paths and messages can echo the keys a caller sent, so their length is the caller's, not ours.
    field: { type: 'string', example: 'subject' },
    message: { type: 'string', example: 'subject must be shorter than or equal to 500 characters' },
  },
};

const HEADERS: Json = {
  'Access-Control-Allow-Origin': {
    description: 'Sent when the request’s Origin is one of CORS_ORIGINS (none by default, so browsers on other origins are refused).',
    schema: { type: 'string', maxLength: 2000 },
  },
  RateLimit: {
    description: 'Where this request left each policy it counted against (draft-ietf-httpapi-ratelimit-headers): `"per-credential";r=<remaining>;t=<seconds to reset>`.',
    schema: { type: 'string', maxLength: 200, example: '"per-credential";r=599;t=60, "per-ip";r=1199;t=60' },
  },
  'RateLimit-Policy': {
    description: 'The policies: quota `q` per window `w` seconds (RATE_LIMIT_PER_MINUTE, RATE_LIMIT_PER_IP_PER_MINUTE, RATE_LIMIT_WINDOW_SECONDS).',
    schema: { type: 'string', maxLength: 200, example: '"per-credential";q=600;w=60, "per-ip";q=1200;w=60' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86400 },
  },
  ETag: {
    description:
      'The version of the resource in this response: a ticket\'s is its `version` ("3"), to send as If-Match on PATCH; ' +
      'other resources get a weak ETag over their representation.',
    schema: { type: 'string', pattern: '^(W/)?"[^"]*"$', maxLength: 64, example: '"3"' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the recorded response of an earlier request with the same Idempotency-Key, replayed without doing anything again.',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** Every path parameter goes through IdParamPipe, which answers anything but a UUID with 422. */
const PATH_ID: Json = { type: 'string', format: 'uuid', maxLength: 36 };

const IDEMPOTENCY_KEY: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Optional. Makes a retried POST safe: the first response is recorded with the request’s effects and replayed (with `Idempotent-Replayed: true`) ' +
    'for 24 hours to the same caller sending the same key and the same request. The same key with a different request is a 422; while the first ' +
    'request is still running, a 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

interface Standard {
  name: string;
  description: string;
  applies: (facts: OperationFacts) => boolean;
}

interface OperationFacts {
  path: string;
  method: string;
  operation: Json;
  access: RouteAccess;
}

const hasBody = (f: OperationFacts) => f.operation.requestBody !== undefined;
const params = (f: OperationFacts, where: string) => (f.operation.parameters ?? []).filter((p: Json) => p.in === where);
const idempotent = (f: OperationFacts) => f.method === 'post' && f.access.authenticated;
const limited = (f: OperationFacts) => !UNLIMITED_PATHS.has(f.path);

/**
 * The error responses every operation shares, added by rule from what the route actually does. An operation that
 * documents one of these statuses itself keeps its own description; only its content is made the Problem.
 */
const STANDARD_RESPONSES: Record<string, Standard> = {
  '400': { name: 'BadRequest', description: 'Bad Request: the body is not well-formed JSON.', applies: hasBody },
  '401': {
    name: 'Unauthorized',
    description: 'Unauthorized: no credential, or one that is invalid, expired, revoked, or not accepted by this route.',
    applies: (f) => f.access.authenticated,
  },
  '403': {
    name: 'Forbidden',
    description: 'Forbidden: the credential is valid but its role or scope does not reach this operation.',
    applies: (f) => f.access.adminOnly || f.access.scope !== undefined,
  },
  '404': {
    name: 'NotFound',
    description: 'Not Found: no such resource in the caller’s workspace (another workspace’s ids are never revealed).',
    applies: (f) => params(f, 'path').length > 0,
  },
  '409': {
    name: 'IdempotencyConflict',
    description: 'Conflict: a request with the same Idempotency-Key is still in progress.',
    applies: idempotent,
  },
  '412': {
    name: 'PreconditionFailed',
    description: 'Precondition Failed: If-Match does not match the current ETag; nothing was written. Read the resource again and retry.',
    applies: (f) => params(f, 'header').some((p: Json) => p.name.toLowerCase() === 'if-match'),
  },
  '413': { name: 'PayloadTooLarge', description: 'Payload Too Large: the body is over BODY_LIMIT_BYTES; `limitBytes` says the limit.', applies: hasBody },
  '415': { name: 'UnsupportedMediaType', description: 'Unsupported Media Type: send the body as application/json.', applies: hasBody },
  '422': {
    name: 'ValidationFailed',
    description: 'Unprocessable Content: invalid fields, listed in `errors`.',
    applies: (f) => hasBody(f) || params(f, 'query').length > 0 || params(f, 'path').length > 0 || idempotent(f),
  },
  '429': { name: 'TooManyRequests', description: 'Too Many Requests: over a rate limit; retry after `Retry-After` seconds.', applies: limited },
  '500': {
    name: 'InternalError',
    description: 'Internal Server Error: an unexpected failure, logged with the `errorId` the problem carries; quote it when reporting.',
    applies: () => true,
  },
  '503': {
    name: 'ServiceUnavailable',
    description: 'Service Unavailable: the request ran past the server’s time budget (REQUEST_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS); work it started may still complete. Retry later.',
    applies: () => true,
  },
};

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
/**
 * Headers that every response listing them carries are shared by reference. The others depend on configuration or on
 * the request (CORS, rate limiting, a replay), so they are written out with `required: false`: openapi-typescript (like
 * other generators) types a referenced response header as always present, whatever the component says.
 */
const ALWAYS_SENT = new Set(['Retry-After', 'ETag']);
const headerRef = (name: string): Json => (ALWAYS_SENT.has(name) ? { $ref: `#/components/headers/${name}` } : { ...HEADERS[name], required: false });

/**
 * Headers once per operation, whatever their case: `@Headers('if-match')` documents a required `if-match` of its own
 * next to the `@ApiHeader` that describes it; the described one is kept.
 */
function uniqueHeaders(parameters: Json[]): Json[] {
  const kept = new Map<string, Json>();
  const others: Json[] = [];
  for (const parameter of parameters) {
    if (parameter.in !== 'header') {
      others.push(parameter);
      continue;
    }
    const key = parameter.name.toLowerCase();
    const previous = kept.get(key);
    if (!previous || (!previous.description && parameter.description)) kept.set(key, parameter);
  }
  return [...others, ...kept.values()];
}

/** The shared error responses, each a Problem with the headers a client can act on. */
function standardResponseComponents(): Json {
  return Object.fromEntries(
    Object.entries(STANDARD_RESPONSES).map(([status, standard]) => {
      const headers: Json = { 'Access-Control-Allow-Origin': headerRef('Access-Control-Allow-Origin') };
      if (Number(status) < 500) Object.assign(headers, { RateLimit: headerRef('RateLimit'), 'RateLimit-Policy': headerRef('RateLimit-Policy') });
      if (status === '429') headers['Retry-After'] = headerRef('Retry-After');
      return [standard.name, { description: standard.description, headers, content: problemContent }];
    }),
  );
}

/** What EtagInterceptor (src/common/http) tags: a JSON object with an `id` that is not a `{data}` page. */
function isSingleResource(response: Json, document: OpenAPIObject): boolean {
  const ref: unknown = response.content?.['application/json']?.schema?.$ref;
  if (typeof ref !== 'string') return false;
  const schemas: Json = document.components?.schemas ?? {};
  const properties: Json | undefined = schemas[ref.split('/').pop()!]?.properties;
  return properties !== undefined && 'id' in properties && !('data' in properties);
}

/**
 * `@ApiProperty({ type: Object })` says only "an object"; openapi-typescript reads an object without properties as
 * `Record<string, never>`, one no client could send or read. Unless said otherwise, such an object takes any member.
 */
function openFreeFormObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(openFreeFormObjects);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  Object.values(schema).forEach(openFreeFormObjects);
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  const shaped = ['properties', 'additionalProperties', 'patternProperties', 'allOf', 'anyOf', 'oneOf', '$ref'].some((keyword) => keyword in schema);
  if (isObject && !shaped) schema.additionalProperties = true;
}

/** A cursor is base64url (src/common/pagination/cursor.ts); anything else is refused with 400 invalid_cursor. */
const CURSOR_PATTERN = '^[A-Za-z0-9_-]+={0,2}$';

/** What a string named so holds everywhere in the API, for the fields whose DTOs do not say it themselves. */
const FORMAT_BY_NAME: Record<string, Json> = {
  email: { format: 'email' },
  url: { format: 'uri' },
  permalink: { format: 'uri' },
  cursor: { pattern: CURSOR_PATTERN },
  nextCursor: { pattern: CURSOR_PATTERN },
};

function addFormat(name: string, schema: unknown): void {
  const known = FORMAT_BY_NAME[name];
  if (!known || !schema || typeof schema !== 'object') return;
  const target = schema as Json;
  const isString = target.type === 'string' || (Array.isArray(target.type) && target.type.includes('string'));
  if (isString && !['format', 'pattern', 'enum', 'const'].some((keyword) => keyword in target)) Object.assign(target, known);
}

/** Says the format of emails, URLs and cursors wherever one is a property or a parameter without it. */
function knownFormats(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(knownFormats);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (typeof schema.name === 'string' && typeof schema.in === 'string') addFormat(schema.name, schema.schema);
  if (schema.properties && typeof schema.properties === 'object') for (const [name, property] of Object.entries<unknown>(schema.properties)) addFormat(name, property);
  Object.values(schema).forEach(knownFormats);
}

/** A UUID is 36 characters: said as maxLength too, which is what generic limit checks (and OWASP's) read. */
function boundUuids(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(boundUuids);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.format === 'uuid' && schema.maxLength === undefined) schema.maxLength = 36;
  Object.values(schema).forEach(boundUuids);
}

/**
 * The document is OpenAPI 3.1, where `nullable` (a 3.0 keyword @nestjs/swagger still writes) means nothing: a null
 * value is only allowed by a `null` type. Without this, typed clients read every nullable field as always present.
 */
function nullableAsType(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(nullableAsType);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  Object.values(schema).forEach(nullableAsType);
  if (schema.nullable !== true) return;
  delete schema.nullable;
  const target = schema.allOf?.length === 1 ? schema.allOf[0] : schema.$ref ? { $ref: schema.$ref } : null;
  if (target) {
    delete schema.allOf;
    delete schema.$ref;
    delete schema.type;
    schema.anyOf = [target, { type: 'null' }];
  } else if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  }
}

/** Adds the Problem schema, the standard error responses and the request and rate-limit headers to every operation. */
export function addStandardResponses(document: OpenAPIObject, access: Map<string, RouteAccess>): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths) as Array<[string, Json]>) {
    for (const method of HTTP_METHODS) {
      const operation: Json | undefined = item[method];
      if (!operation) continue;
      const routeAccess = access.get(operation.operationId);
      if (!routeAccess) throw new Error(`No route metadata for operation ${operation.operationId}`);
      const facts: OperationFacts = { path, method, operation, access: routeAccess };
      operation.parameters = uniqueHeaders(operation.parameters ?? []).map((p: Json) => (p.in === 'path' ? { ...p, schema: PATH_ID } : p));
      if (idempotent(facts) && !operation.parameters.some((p: Json) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) {
        operation.parameters.push(IDEMPOTENCY_KEY);
      }
      if (operation.parameters.length === 0) delete operation.parameters;
      for (const [status, response] of Object.entries<Json>(operation.responses as Record<string, Json>)) {
        const code = Number(status);
        if (code >= 400) response.content = problemContent;
        // An operation's own 409 replaces the standard one, which must not get lost on idempotent POSTs.
        if (code === 409 && idempotent(facts) && !/Idempotency-Key/.test(response.description ?? '')) {
          response.description = `${response.description} Also idempotency_in_progress: a request with the same Idempotency-Key is still in progress.`;
        }
        const headers: Json = { ...response.headers, 'Access-Control-Allow-Origin': headerRef('Access-Control-Allow-Origin') };
        if (limited(facts) && code >= 200 && code < 500) Object.assign(headers, { RateLimit: headerRef('RateLimit'), 'RateLimit-Policy': headerRef('RateLimit-Policy') });
        if (code === 429) headers['Retry-After'] = headerRef('Retry-After');
        if (idempotent(facts) && code >= 200 && code < 300) headers['Idempotent-Replayed'] = headerRef('Idempotent-Replayed');
        if (code >= 200 && code < 300 && isSingleResource(response, document)) headers.ETag = headerRef('ETag');
        if (Object.keys(headers).length > 0) response.headers = headers;
      }
      for (const [status, standard] of Object.entries(STANDARD_RESPONSES)) {
        if (standard.applies(facts) && !operation.responses[status]) operation.responses[status] = { $ref: `#/components/responses/${standard.name}` };
      }
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  const used = new Set(Object.values(document.paths).flatMap((item: Json) => HTTP_METHODS.flatMap((m) => (item[m]?.tags ?? []) as string[])));
  const tags = [...(document.tags ?? [])];
  for (const name of [...used].sort()) if (!tags.some((tag) => tag.name === name)) tags.push({ name });
  const components: Json = document.components ?? {};
  boundUuids(components.schemas);
  openFreeFormObjects(components.schemas);
  openFreeFormObjects(document.paths);
  knownFormats(components.schemas);
  knownFormats(document.paths);
  nullableAsType(components.schemas);
  nullableAsType(document.paths);
  boundUuids(document.paths);
  components.schemas = { ...components.schemas, Problem: PROBLEM_SCHEMA, ProblemFieldError: FIELD_ERROR_SCHEMA };
  components.headers = { ...components.headers, ...Object.fromEntries(Object.entries(HEADERS).filter(([name]) => ALWAYS_SENT.has(name))) };
  components.responses = { ...components.responses, ...standardResponseComponents() };
  // Relative: the document is served by the instance it describes, whichever environment that is; meant for integrators.
  const servers = document.servers?.length
    ? document.servers
    : [{ url: '/', description: 'The Deskline instance serving this document, local, staging or production alike.', 'x-internal': false }];
  return { ...document, servers, tags, components };
}
