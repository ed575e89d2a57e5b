import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { startTestApp, TestApp } from '../support/test-app';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const EXPOSED = ['etag', 'x-request-id', 'idempotent-replayed', 'ratelimit', 'ratelimit-policy', 'retry-after'];

const exposedHeaders = (headers: Record<string, string>) => String(headers['access-control-expose-headers'] ?? '').toLowerCase().split(/\s*,\s*/);

describe('security: production surface (headers, CORS, docs)', () => {
  describe('NODE_ENV=production with the defaults', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ NODE_ENV: 'production' });
    });
    afterAll(() => t.close());

    it('sends security headers on API answers, HSTS included', async () => {
      const response = await t.http.get('/v1/tickets').set(t.auth(t.main.key)).expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('allows no cross-origin browser calls when CORS_ORIGINS is not set', async () => {
      const simple = await t.http.get('/v1/tickets').set(t.auth(t.main.key)).set('Origin', APP);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t.http.options('/v1/tickets').set('Origin', APP).set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('still serves /docs (Swagger UI under the CSP: only same-origin scripts) and /openapi.json', async () => {
      const docs = await t.http.get('/docs').expect(200);
      const csp = String(docs.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      const scripts = [...docs.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        // An inline script would be blocked by script-src 'self' and leave the page blank.
        expect(inline.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
        expect(src).toBeDefined();
        expect(src).not.toMatch(/^(https?:)?\/\//);
        const asset = await t.http.get(new URL(src!, 'http://x/docs').pathname);
        expect(asset.status).toBe(200);
      }
      const document = await t.http.get('/openapi.json').expect(200);
      expect(document.body.openapi).toBe('3.1.0');
    });
  });

  describe('NODE_ENV=production with CORS_ORIGINS and DOCS_ENABLED=false', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ NODE_ENV: 'production', CORS_ORIGINS: `${APP}, https://ops.example.com`, DOCS_ENABLED: 'false' });
    });
    afterAll(() => t.close());

    it('answers listed origins, exposing the headers clients read', async () => {
      const simple = await t.http.get('/v1/tickets').set(t.auth(t.main.key)).set('Origin', APP).expect(200);
      expect(simple.headers['access-control-allow-origin']).toBe(APP);
      expect(simple.headers['vary']).toMatch(/Origin/i);
      expect(exposedHeaders(simple.headers)).toEqual(expect.arrayContaining(EXPOSED));
      const preflight = await t.http.options('/v1/tickets').set('Origin', 'https://ops.example.com').set('Access-Control-Request-Method', 'PATCH');
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://ops.example.com');
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
    });

    it('does not answer other origins', async () => {
      const simple = await t.http.get('/v1/tickets').set(t.auth(t.main.key)).set('Origin', EVIL);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t.http.options('/v1/tickets').set('Origin', EVIL).set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('serves neither /docs nor /openapi.json', async () => {
      expect((await t.http.get('/docs')).status).toBe(404);
      expect((await t.http.get('/openapi.json')).status).toBe(404);
      expect((await t.http.get('/openapi.yaml')).status).toBe(404);
    });
  });

  describe('development (NODE_ENV other than production)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ NODE_ENV: 'development' });
    });
    afterAll(() => t.close());

    it('allows any origin and exposes the same headers, with security headers but no HSTS', async () => {
      const simple = await t.http.get('/v1/tickets').set(t.auth(t.main.key)).set('Origin', EVIL).expect(200);
      expect(simple.headers['access-control-allow-origin']).toBe('*');
      expect(exposedHeaders(simple.headers)).toEqual(expect.arrayContaining(EXPOSED));
      expect(simple.headers['x-content-type-options']).toBe('nosniff');
      expect(simple.headers['strict-transport-security']).toBeUndefined();
      expect((await t.http.get('/docs')).status).toBe(200);
    });
  });

  describe('configuration', () => {
    const dataDir = process.env.DESKLINE_TEST_DATA_DIR;

    it('reads NODE_ENV, CORS_ORIGINS and DOCS_ENABLED, refusing malformed values by name', () => {
      expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' }).http).toMatchObject({ production: true, corsOrigins: [], docsEnabled: true });
      expect(loadConfig({ DATA_DIR: dataDir }).http).toMatchObject({ production: false, corsOrigins: '*' });
      expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', CORS_ORIGINS: '*' }).http.corsOrigins).toBe('*');
      expect(() => loadConfig({ DATA_DIR: dataDir, CORS_ORIGINS: 'https://app.example.com/' })).toThrow(/CORS_ORIGINS/);
      expect(() => loadConfig({ DATA_DIR: dataDir, CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS/);
      expect(() => loadConfig({ DATA_DIR: dataDir, DOCS_ENABLED: 'maybe' })).toThrow(/DOCS_ENABLED/);
    });

    it('runs the Docker image in production mode', () => {
      const dockerfile = readFileSync(join(__dirname, '..', '..', 'Dockerfile'), 'utf8');
      const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      expect(runtime).toMatch(/ENV[^\n]*NODE_ENV=production/);
    });
  });
});
