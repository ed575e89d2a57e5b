const DEFAULT_TTL_MS = 5_000;
const MAX_WORKSPACES = 10_000;

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/**
 * Per-workspace configuration that every ticket change reads but admins edit rarely (SLA policies, automation rules).
 * The owning service drops a workspace's entry around its own writes (before, and again once the write has committed
 * or failed; a generation keeps a read that raced the write from being stored), so this instance never serves its own
 * stale edit. Another instance's edit is seen within the TTL.
 */
export class WorkspaceCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly ttlMs = DEFAULT_TTL_MS) {}

  async get(workspaceId: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(workspaceId);
    if (entry && Date.now() - entry.loadedAt < this.ttlMs) return entry.value;
    const generation = this.generations.get(workspaceId) ?? 0;
    const loadedAt = Date.now();
    const value = await load();
    if ((this.generations.get(workspaceId) ?? 0) === generation) {
      this.entries.delete(workspaceId);
      if (this.entries.size >= MAX_WORKSPACES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(workspaceId, { value, loadedAt });
    }
    return value;
  }

  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
    this.generations.set(workspaceId, (this.generations.get(workspaceId) ?? 0) + 1);
  }

  /** Runs a write of the cached configuration, dropping the workspace's entry before it and again after it. */
  async writing<R>(workspaceId: string, write: () => Promise<R>): Promise<R> {
    this.invalidate(workspaceId);
    try {
      return await write();
    } finally {
      this.invalidate(workspaceId);
    }
  }
}
