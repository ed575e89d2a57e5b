import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAPHQL_SCHEMA_FILE, OPENAPI_FILE, renderGraphQLSchema, renderOpenApi } from '../src/contract/contract';
import { startTestApp, TestApp } from './support/test-app';

const root = join(__dirname, '..');

describe('committed API contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('openapi/openapi.json matches the code (run `npm run openapi` after an API change)', () => {
    expect(readFileSync(join(root, OPENAPI_FILE), 'utf8')).toBe(renderOpenApi(t.app));
  });

  it('schema.graphql matches the code (run `npm run openapi` after an API change)', () => {
    expect(readFileSync(join(root, GRAPHQL_SCHEMA_FILE), 'utf8')).toBe(renderGraphQLSchema(t.app));
  });

  it('serves the same OpenAPI 3.1 document at /openapi.json, with the webhook catalogue, and the reference at /docs', async () => {
    const served = await t.http.get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body.openapi).toBe('3.1.0');
    expect(served.body).toEqual(JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8')));
    expect(Object.keys(served.body.webhooks)).toEqual(expect.arrayContaining(['ticket.created', 'contact.created']));
    const docs = await t.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });
});
