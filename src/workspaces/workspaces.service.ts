import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ApiKeysService } from '../auth/api-keys.service';
import { PLATFORM_SCOPE, Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Conflict, ResourceNotFound } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { CreatedWorkspaceView, CreateWorkspaceInput } from './dto/workspace.dto';
import { WorkspacesRepository } from './workspaces.repository';

function slugify(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug.length >= 2 ? slug : `workspace-${slug}`;
}

@Injectable()
export class WorkspacesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Workspaces');

  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly apiKeys: ApiKeysService,
    private readonly workspaces: WorkspacesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(_principal: Principal, input: CreateWorkspaceInput): Promise<CreatedWorkspaceView> {
    const explicitSlug = input.slug !== undefined;
    return this.transactions.run(async (manager) => {
      let slug = input.slug ?? slugify(input.name);
      for (let attempt = 0; ; attempt++) {
        const workspace = await this.insertWorkspace(manager, slug, input.name);
        if (workspace) {
          const { entity, key } = await this.apiKeys.insert(manager, workspace.id, { name: 'Admin key', role: 'admin', scopes: [], agentId: null });
          return { workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name }, apiKey: { id: entity.id, key } };
        }
        if (explicitSlug || attempt >= 5) throw new Conflict(`A workspace with slug "${slug}" already exists.`, 'duplicate', { field: 'slug' });
        slug = `${slugify(input.name).slice(0, 33)}-${randomUUID().slice(0, 6)}`;
      }
    });
  }

  /** The caller's workspace slug (login throttling keys accounts by it). */
  async slugOf(principal: Principal): Promise<string> {
    const slug = await this.workspaces.slugOf(this.transactions.manager, principal.workspaceId);
    if (slug === null) throw new ResourceNotFound('workspace', principal.workspaceId);
    return slug;
  }

  private firstBootKey: string | null = null;

  /** First boot on an empty database: workspace `default` and an admin key with the platform scope. */
  async onApplicationBootstrap(): Promise<void> {
    const created = await this.transactions.run(async (manager) => {
      await this.workspaces.lockBootstrap(manager);
      if ((await this.workspaces.count(manager)) > 0) return null;
      const workspace = await this.insertWorkspace(manager, 'default', 'Default');
      if (!workspace) return null;
      const { key } = await this.apiKeys.insert(
        manager,
        workspace.id,
        { name: 'Bootstrap admin key', role: 'admin', scopes: [PLATFORM_SCOPE], agentId: null },
        this.config.bootstrapApiKey ?? undefined,
      );
      return key;
    });
    if (created === null) return;
    if (this.config.bootstrapApiKey) {
      this.logger.log('Created workspace "default"; its admin API key is the value of BOOTSTRAP_API_KEY.');
    } else {
      // Held for the caller (main.ts prints it to stdout once the server listens), never written to the structured log.
      this.firstBootKey = created;
    }
  }

  /** The generated admin key of a first boot, handed out once. */
  takeFirstBootKey(): string | null {
    const key = this.firstBootKey;
    this.firstBootKey = null;
    return key;
  }

  /** Null when the slug is taken. */
  private async insertWorkspace(manager: EntityManager, slug: string, name: string): Promise<{ id: string; slug: string; name: string } | null> {
    const workspace = { id: randomUUID(), slug, name, createdAt: this.clock.now() };
    return (await this.workspaces.insertUnlessSlugTaken(manager, workspace)) ? workspace : null;
  }
}
