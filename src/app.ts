import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Logger } from 'pino';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/errors/validation';
import { refuseDeepBodies } from './common/http/body-depth.hook';
import { BodyLimit, refuseOversizedBodies } from './common/http/body-limits';
import { clientErrors, frameworkErrors } from './common/http/framework-errors';
import { createLogger, NestPinoLogger } from './common/http/logger';
import { SingleLineRequestLog } from './common/http/request-log';
import { registerRateLimits } from './common/rate-limit/rate-limits';
import { answerRequestsWithin } from './common/http/request-timeout';
import { AppConfig } from './config/app-config';
import { addExamples } from './contract/openapi-examples';
import { addStandardResponses, routeAccessOf } from './contract/openapi-responses';
import { addWebhookCatalogue } from './contract/openapi-webhooks';
import { workCancellation } from './database/statement-cancellation';
import { Metrics } from './health/metrics/metrics';
import { settleInstanceKeys } from './keys/instance-keys';
import { moveStreamCredentialToHeader } from './realtime/stream/credential-in-url';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Deskline API')
    .setDescription(
      'Headless ticketing: tickets, conversations, contacts, teams and agents over REST and GraphQL (`/graphql`). ' +
        'Authenticate with `Authorization: Bearer <API key or access token>`. Errors are `application/problem+json` (RFC 9457). ' +
        'Lists return `{data, nextCursor}`; pass `cursor=<nextCursor>` for the next page. POST requests accept an `Idempotency-Key` header.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'An API key (dsk_...) or a JWT access token from POST /v1/auth/login. Access tokens follow RFC8725 (JWT best current practices): ' +
        'one pinned algorithm, issuer and audience checked, expiry enforced, short-lived and refreshed with a rotating refresh token.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  return addWebhookCatalogue(addExamples(addStandardResponses(document, routeAccessOf(app))));
}

/** `logger`: the caller's, when it must flush it (main.ts prints the first boot key after the log lines). */
export async function createApp(givenConfig: AppConfig, databaseUrl: string, logger: Logger = createLogger(givenConfig.logLevel)): Promise<NestFastifyApplication> {
  const config = await settleInstanceKeys(givenConfig, databaseUrl);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new SingleLineRequestLog(),
    bodyLimit: config.http.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const presented = request.headers['x-request-id'];
      return typeof presented === 'string' && REQUEST_ID.test(presented) ? presented : randomUUID();
    },
    trustProxy: config.rateLimits.trustProxy,
    frameworkErrors,
    clientErrorHandler: clientErrors,
    rewriteUrl: moveStreamCredentialToHeader,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  answerRequestsWithin(fastify, config.http.requestTimeoutMs, (signal, next) => workCancellation.run(signal, next));
  refuseOversizedBodies(fastify, bodyLimitFor(config), config.http.oversizedBodyDrainBytes);
  // HSTS only in production: a developer's http://localhost must not be pinned to https.
  await app.register(helmet, { strictTransportSecurity: config.http.production ? undefined : false });
  const origins = config.http.corsOrigins;
  if (origins === '*' || origins.length > 0) app.enableCors({ origin: origins, methods: CORS_METHODS, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  refuseDeepBodies(fastify, config.input.bodyMaxDepth);
  // Streaming multipart for POST /v1/uploads: files are read part by part by the handler, never buffered here.
  await app.register(multipart, { throwFileSizeLimit: true, limits: { fileSize: config.uploads.maxFileBytes, files: config.uploads.maxFilesPerMessage } });
  app.useGlobalPipes(createValidationPipe(config.input));
  // After CORS and the request id, so a 429 carries both.
  await registerRateLimits(app, config.rateLimits);
  if (config.http.docsEnabled) {
    const document = buildOpenApiDocument(app);
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml', ui: true });
  }
  return app;
}

// @fastify/cors allows only GET, HEAD and POST unless told; the API also updates and deletes.
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Response headers a browser client may read; the rate-limit ones are named here so limiting needs no CORS change. */
const EXPOSED_HEADERS = ['ETag', 'X-Request-Id', 'Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy', 'Retry-After'];

/** Raw emails (the inbound endpoint's message/rfc822 parser) have their own, larger limit. */
function bodyLimitFor(config: AppConfig): (contentType: string | undefined) => BodyLimit {
  const json = { bytes: config.http.bodyLimitBytes, variable: 'BODY_LIMIT_BYTES' };
  const email = { bytes: config.channels.maxEmailBytes, variable: 'MAIL_MAX_EMAIL_BYTES' };
  // Uploads: each file is cut at UPLOAD_MAX_FILE_BYTES while it streams; this bounds the whole request (plus part headers).
  const uploads = { bytes: config.uploads.maxMessageBytes + config.uploads.maxFilesPerMessage * 16 * 1024 + 64 * 1024, variable: 'UPLOAD_MAX_MESSAGE_BYTES', readByHandler: true };
  return (contentType) => {
    if (contentType !== undefined && /^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return uploads;
    return contentType !== undefined && /^\s*message\/rfc822\s*(;|$)/i.test(contentType) ? email : json;
  };
}
