import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/errors/validation';
import { refuseDeepBodies } from './common/http/body-depth.hook';
import { clientErrors, frameworkErrors } from './common/http/framework-errors';
import { createLogger, NestPinoLogger } from './common/http/logger';
import { SingleLineRequestLog } from './common/http/request-log';
import { AppConfig } from './config/app-config';
import { addWebhookCatalogue } from './contract/openapi-webhooks';

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
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (dsk_...) or a JWT access token from POST /v1/auth/login.' })
    .build();
  return addWebhookCatalogue(SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` }));
}

export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new SingleLineRequestLog(),
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const presented = request.headers['x-request-id'];
      return typeof presented === 'string' && REQUEST_ID.test(presented) ? presented : randomUUID();
    },
    trustProxy: true,
    frameworkErrors,
    clientErrorHandler: clientErrors,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  refuseDeepBodies(fastify, config.input.bodyMaxDepth);
  app.useGlobalPipes(createValidationPipe(config.input));
  app.enableCors({ exposedHeaders: ['ETag', 'X-Request-Id', 'Idempotent-Replayed'] });
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml', ui: true });
  return app;
}
