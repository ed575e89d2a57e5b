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
  }).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
    if (error.code === 1 && error.stdout) return { stdout: error.stdout };
    throw new Error(`spectral did not run: ${error.stderr ?? String(error)}`);
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
