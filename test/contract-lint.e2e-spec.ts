import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OPENAPI_FILE } from '../src/contract/contract';

const root = join(__dirname, '..');
const spectral = join(root, 'node_modules', '.bin', 'spectral');

interface Finding {
  code: string;
  message: string;
  path: Array<string | number>;
  severity: number;
}

const ERROR = 0;

/** Spectral on the committed document (contract.e2e-spec.ts keeps that file equal to the code's), with .spectral.yaml. */
async function lint(file = OPENAPI_FILE): Promise<Finding[]> {
  // Spectral exits 1 when it reports errors; the JSON on stdout is what matters either way.
  const run = await promisify(execFile)(spectral, ['lint', file, '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet', '--fail-severity', 'error'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stdout?: string; stderr?: string; code?: number }) => {
    if (error.code === 1 && error.stdout) return { stdout: error.stdout };
    throw new Error(`spectral did not run: ${error.stderr ?? error.message}`);
  });
  return JSON.parse(run.stdout || '[]') as Finding[];
}

const show = (f: Finding) => `${f.code} at ${f.path.join('.')}: ${f.message}`;

describe('OpenAPI contract lint (spectral:oas + OWASP API security)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await lint();
  }, 120_000);

  it('has no error-severity finding', () => {
    const warnings = findings.filter((f) => f.severity !== ERROR);
    if (warnings.length > 0) {
      const byRule = new Map<string, number>();
      for (const w of warnings) byRule.set(w.code, (byRule.get(w.code) ?? 0) + 1);
      process.stdout.write(`spectral warnings (not failing): ${[...byRule].map(([code, n]) => `${code} ×${n}`).join(', ')}\n`);
    }
    expect(findings.filter((f) => f.severity === ERROR).map(show)).toEqual([]);
  });

  it('catches what the rules are for: a missing 401, an unbounded request string', async () => {
    const document = JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8'));
    const listTickets = document.paths['/v1/tickets'].get;
    delete listTickets.responses['401'];
    listTickets.parameters.push({ name: 'unbounded', in: 'query', required: false, schema: { type: 'string' } });
    const file = join(mkdtempSync(join(tmpdir(), 'deskline-lint-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const codes = (await lint(file)).filter((f) => f.severity === ERROR || f.code.includes('401')).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['owasp:api8:2023-define-error-responses-401', 'deskline-request-string-limit']));
  }, 120_000);
});

type Operation = { operationId: string; summary?: string; description?: string; parameters?: Array<{ name: string; in: string; required?: boolean }>; requestBody?: unknown; responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }> };

describe('the committed OpenAPI document', () => {
  const document = JSON.parse(readFileSync(join(root, OPENAPI_FILE), 'utf8'));
  const operations: Array<[string, Operation]> = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
  );
  const resolve = (response: Operation['responses'][string]) => (response.$ref ? document.components.responses[response.$ref.split('/').pop()!] : response);

  it('names each header once per operation, and If-Match on PATCH /v1/tickets/{id} as optional', () => {
    const repeated = operations.flatMap(([name, op]) => {
      const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
      return headers.filter((header, i) => headers.indexOf(header) !== i).map((header) => `${name}: ${header}`);
    });
    expect(repeated).toEqual([]);
    const ifMatch = document.paths['/v1/tickets/{id}'].patch.parameters.filter((p: { name: string }) => p.name.toLowerCase() === 'if-match');
    expect(ifMatch).toEqual([expect.objectContaining({ name: 'If-Match', required: false })]);
  });

  it('gives every operation a summary, a description and an operationId', () => {
    expect(operations.filter(([, op]) => !op.summary || !op.description || !op.operationId).map(([name]) => name)).toEqual([]);
  });

  it('answers every error with the one Problem schema, and documents 401, 422 and 429 where they apply', () => {
    const notProblem = operations.flatMap(([name, op]) =>
      Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => resolve(response).content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem')
        .map(([status]) => `${name} ${status}`),
    );
    expect(notProblem).toEqual([]);
    expect(document.components.schemas.Problem.properties.errors.items).toEqual({ $ref: '#/components/schemas/ProblemFieldError' });
    const create = document.paths['/v1/tickets'].post.responses;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['400', '401', '409', '413', '415', '422', '429', '500', '503']));
    expect(Object.keys(document.paths['/v1/agents'].post.responses)).toContain('403');
    expect(Object.keys(document.paths['/v1/agents'].get.responses)).not.toContain('403');
    expect(Object.keys(document.paths['/health'].get.responses)).not.toContain('429');
  });

  it('lets typed clients see null where the server sends it', () => {
    expect(document.components.schemas.TicketView.properties.assignee.anyOf).toEqual(expect.arrayContaining([{ type: 'null' }]));
    expect(JSON.stringify(document.paths)).not.toContain('"nullable"');
  });
});

