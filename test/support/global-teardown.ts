export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>).__DESKLINE_EMBEDDED__ as { stop(): Promise<void> } | undefined;
  await embedded?.stop();
}
