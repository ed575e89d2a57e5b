import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { OPENAPI_FILE } from '../src/contract/contract';
import { OPENAPI_TYPES_FILE, renderOpenApiTypes } from '../src/contract/openapi-types';
import { startTestApp, TestApp } from './support/test-app';

const root = join(__dirname, '..');
const EXAMPLE = join(root, 'docs', 'examples', 'typed-client.ts');

/** Strict, as an integrator's project would be; the repository's own settings otherwise (CommonJS, Node's types). */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  esModuleInterop: true,
  skipLibCheck: true,
  rootDir: root,
};

/** Parsed once for all compilations: Node's types and the generated contract are most of the work. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** Compiles the example, or a variant of its text, and returns the compiler's complaints and where the JavaScript went. */
function compileExample(text?: string): { diagnostics: string[]; outDir: string } {
  const outDir = mkdtempSync(join(tmpdir(), 'deskline-typed-client-'));
  const options = { ...COMPILER_OPTIONS, outDir };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (fileName === EXAMPLE && text !== undefined) return ts.createSourceFile(fileName, text, languageVersion);
    if (!parsed.has(fileName)) parsed.set(fileName, getSourceFile(fileName, languageVersion, ...rest));
    return parsed.get(fileName);
  };
  const program = ts.createProgram([EXAMPLE], options, host);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { diagnostics, outDir };
}

// Issue 18: a client generated from openapi/openapi.json must compile in strict mode and work. The README's example is
// docs/examples/typed-client.ts; this compiles it against the committed types and runs it against a real app.
describe('the typed-client example (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t?.close());

  it('compiles against openapi/openapi.d.ts, which is what openapi-typescript generates from openapi/openapi.json (`npm run openapi`)', async () => {
    expect(readFileSync(join(root, OPENAPI_TYPES_FILE), 'utf8')).toBe(await renderOpenApiTypes(join(root, OPENAPI_FILE)));
  }, 60_000);

  it('types every object a client sends or reads, documents the ETag that If-Match takes, and types conditional headers as optional', () => {
    const types = readFileSync(join(root, OPENAPI_TYPES_FILE), 'utf8');
    // openapi-typescript's reading of a bare `type: object`: an object that can hold nothing.
    expect(types.split('\n').filter((line) => line.includes('Record<string, never>') && !line.startsWith('export type $defs'))).toEqual([]);
    const document = JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8'));
    for (const [path, method, status] of [['/v1/tickets', 'post', '201'], ['/v1/tickets/{id}', 'get', '200'], ['/v1/tickets/{id}', 'patch', '200']]) {
      expect(document.paths[path][method].responses[status].headers.ETag).toEqual({ $ref: '#/components/headers/ETag' });
    }
    expect(document.paths['/v1/tickets'].get.responses['200'].headers.ETag).toBeUndefined();
    // Generators type a referenced response header as always there; the ones that depend on the request or on
    // configuration are written out as optional instead.
    const created = document.paths['/v1/tickets'].post.responses['201'].headers;
    for (const name of ['Access-Control-Allow-Origin', 'RateLimit', 'RateLimit-Policy', 'Idempotent-Replayed']) expect(created[name]).toMatchObject({ required: false });
    expect(types).toContain('"Idempotent-Replayed"?: "true";');
  });

  it('is the code docs/typed-client.md shows', () => {
    const example = readFileSync(EXAMPLE, 'utf8');
    expect(readFileSync(join(root, 'docs', 'typed-client.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('fails to compile when it misuses the API: the types come from the contract, not from `any`', () => {
    const misuses: Array<[string, string, RegExp]> = [
      ["body: { status: 'pending', priority: 'high' }", "body: { status: 'done', priority: 'high' }", /'"done"' is not assignable/],
      ['field: first?.field', 'field: first?.name', /Property 'name' does not exist on type '\{ field: string; message: string; \}'/],
      ["{ params: { path: { id: ticket.id } } }", '{}', /Property 'params' is missing/],
      ["requester: { email: 'ana@example.com', name: 'Ana Ruiz' },", '', /Property 'requester' is missing/],
    ];
    let example = readFileSync(EXAMPLE, 'utf8');
    for (const [original, misuse] of misuses) {
      expect(example).toContain(original);
      example = example.replace(original, misuse);
    }
    const { diagnostics } = compileExample(example);
    for (const [, , complaint] of misuses) expect(diagnostics).toContainEqual(expect.stringMatching(complaint));
  }, 60_000);

  it('compiles in strict mode and runs against the API: create, list, PATCH with If-Match, a stale ETag and a typed 422 problem', async () => {
    const { diagnostics, outDir } = compileExample();
    expect(diagnostics).toEqual([]);
    const { stdout } = await promisify(execFile)(process.execPath, [join(outDir, 'docs', 'examples', 'typed-client.js')], {
      env: { ...process.env, NODE_PATH: join(root, 'node_modules'), DESKLINE_URL: await t.app.getUrl(), DESKLINE_API_KEY: t.main.key },
    });
    const steps = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const created = steps[0];
    expect(steps).toEqual([
      { step: 'created', id: expect.any(String), number: expect.any(Number), status: 'new' },
      { step: 'listed', numbers: expect.arrayContaining([created.number]), nextCursor: null },
      { step: 'updated', status: 'pending', priority: 'high', version: 2 },
      { step: 'stale', status: 412, type: 'https://deskline.dev/problems/precondition-failed' },
      { step: 'refused', status: 422, type: 'https://deskline.dev/problems/validation-failed', field: 'requester.email', message: expect.any(String) },
    ]);
    const stored = await t.http.get(`/v1/tickets/${String(created.id)}`).set(t.auth(t.main.key));
    expect(stored.body).toMatchObject({ status: 'pending', priority: 'high', version: 2 });
  }, 120_000);
});
