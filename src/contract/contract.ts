import { GraphQLSchemaHost } from '@nestjs/graphql';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildOpenApiDocument } from '../app';

export const OPENAPI_FILE = 'openapi/openapi.json';
export const GRAPHQL_SCHEMA_FILE = 'schema.graphql';

/** The committed API contract, rendered from the running code so the files can be checked for drift. */
export function renderOpenApi(app: NestFastifyApplication): string {
  return JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n';
}

export function renderGraphQLSchema(app: NestFastifyApplication): string {
  return printSchema(lexicographicSortSchema(app.get(GraphQLSchemaHost).schema)) + '\n';
}
