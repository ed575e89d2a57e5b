import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as Record<string, unknown>;
  const embedded = state.__DESKLINE_EMBEDDED__ as { stop(): Promise<void> } | undefined;
  await embedded?.stop();
  for (const directory of (state.__DESKLINE_SCRATCH__ as string[] | undefined) ?? []) rmSync(directory, { recursive: true, force: true });
}
