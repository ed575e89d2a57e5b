import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const OPENAPI_TYPES_FILE = 'openapi/openapi.d.ts';

/**
 * openapi-typescript's own flags, the ones the README tells integrators to use. Without `--default-non-nullable false`
 * a request field with a server default (priority, channel, visibility...) would be typed as one the client must send.
 */
export const OPENAPI_TYPESCRIPT_FLAGS = ['--default-non-nullable', 'false'];

/**
 * The TypeScript types openapi-typescript generates from an OpenAPI file, as an integrator would with `npx
 * openapi-typescript`. Its CLI is run as a child process because the package is ESM (with ESM-only dependencies), which
 * neither jest's module system nor this CommonJS build can require on every Node 20.
 */
export async function renderOpenApiTypes(openapiFile: string): Promise<string> {
  const cli = join(require.resolve('openapi-typescript/package.json'), '..', 'bin', 'cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, openapiFile, ...OPENAPI_TYPESCRIPT_FLAGS], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
