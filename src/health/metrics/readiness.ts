/** How one part of the deployment stands, as `GET /health/ready` reports it. */
export interface PartReadiness {
  status: 'ok' | 'degraded' | 'unavailable';
  /** Why, for a person reading the probe's answer; absent when ok. */
  detail?: string;
}

/**
 * Parts other modules add to the readiness answer (the webhook backlog, for one). `unavailable` takes the instance
 * out of rotation (503); `degraded` keeps it serving (200), since another instance would not do better, but says so.
 */
export class ReadinessParts {
  private readonly parts = new Map<string, () => Promise<PartReadiness>>();

  add(name: string, check: () => Promise<PartReadiness>): void {
    this.parts.set(name, check);
  }

  async check(): Promise<Record<string, PartReadiness>> {
    const entries = await Promise.all(
      [...this.parts].map(async ([name, check]) => [name, await check().catch(() => ({ status: 'unavailable' as const, detail: 'the check failed' }))] as const),
    );
    return Object.fromEntries(entries);
  }
}
