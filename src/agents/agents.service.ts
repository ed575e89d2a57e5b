import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { LoginThrottleService } from '../auth/login-throttle/login-throttle.service';
import { Principal } from '../auth/principal';
import { hashPassword } from '../auth/secrets';
import { SessionsService } from '../auth/sessions.service';
import { Conflict, ResourceNotFound } from '../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { uniqueViolation } from '../common/errors/postgres-errors';
import { Page } from '../common/pagination/cursor';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { AgentView, CreateAgentInput, UpdateAgentInput } from './dto/agent.dto';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { AgentsRepository } from './agents.repository';
import { AgentEntity } from './entities/agent.entity';

/** The lock was set with the database's clock, so it is read against real time, not the (possibly manual) domain clock. */
function lockedNow(agent: AgentEntity): boolean {
  return agent.lockedAt !== null && (agent.lockedUntil === null || agent.lockedUntil.getTime() > Date.now());
}

function toView(agent: AgentEntity & { passwordHash?: string | null }, hasPassword: boolean): AgentView {
  const locked = lockedNow(agent);
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    availability: agent.availability,
    capacity: agent.capacity,
    hasPassword,
    active: agent.deactivatedAt === null,
    locked,
    lockedUntil: locked ? agent.lockedUntil : null,
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
  };
}

const duplicateEmail = (email: string) => new Conflict(`An agent with email ${email} already exists in this workspace.`, 'duplicate', { field: 'email' });

@Injectable()
export class AgentsService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly sessions: SessionsService,
    private readonly loginThrottle: LoginThrottleService,
    private readonly agents: AgentsRepository,
    private readonly workspaces: WorkspacesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<AgentView>> {
    const result = await this.agents.page(this.transactions.manager, principal.workspaceId, page);
    const withPasswords = await this.passwordFlags(principal, result.data.map((agent) => agent.id));
    return { data: result.data.map((agent) => toView(agent, withPasswords.has(agent.id))), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<AgentView> {
    const agent = (await this.findByIds(principal, [id])).get(id);
    if (!agent) throw new ResourceNotFound('agent', id);
    return agent;
  }

  /** Batch lookup for GraphQL loaders and ticket views; ids of other workspaces are simply absent. */
  async findByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, AgentView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.agents.findWithPasswordFlags(this.transactions.manager, principal.workspaceId, ids);
    return new Map(rows.map(({ agent, hasPassword }) => [agent.id, toView(agent, hasPassword)]));
  }

  async create(principal: Principal, input: CreateAgentInput): Promise<AgentView> {
    const passwordHash = input.password ? await hashPassword(input.password, this.config.passwords.scryptCost) : null;
    try {
      return await this.transactions.run(async (manager) => {
        const now = this.clock.now();
        const agent = manager.create(AgentEntity, {
          workspaceId: principal.workspaceId,
          id: randomUUID(),
          name: input.name,
          email: input.email.toLowerCase(),
          role: input.role,
          passwordHash,
          availability: input.availability ?? 'offline',
          capacity: input.capacity ?? null,
          deactivatedAt: null,
          lockedAt: null,
          lockedUntil: null,
          createdAt: now,
          updatedAt: now,
        });
        await this.agents.insert(manager, agent);
        const view = toView(agent, passwordHash !== null);
        await this.outbox.record(manager, principal, [{ type: 'agent.created', subjectType: 'agent', subjectId: agent.id, data: { agent: view } }]);
        return view;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw duplicateEmail(input.email);
      throw error;
    }
  }

  async update(principal: Principal, id: string, input: UpdateAgentInput): Promise<AgentView> {
    const passwordHash = input.password ? await hashPassword(input.password, this.config.passwords.scryptCost) : undefined;
    try {
      return await this.transactions.run(async (manager) => {
        const agent = await this.agents.lock(manager, principal.workspaceId, id);
        if (!agent) throw new ResourceNotFound('agent', id);
        const before = toView(agent, false);
        if (input.name !== undefined) agent.name = input.name;
        if (input.email !== undefined) agent.email = input.email.toLowerCase();
        if (input.role !== undefined) agent.role = input.role;
        if (input.availability !== undefined) agent.availability = input.availability;
        if (input.capacity !== undefined) agent.capacity = input.capacity;
        const deactivating = input.active === false && agent.deactivatedAt === null;
        if (input.active !== undefined) agent.deactivatedAt = input.active ? null : (agent.deactivatedAt ?? this.clock.now());
        agent.updatedAt = this.clock.now();
        await this.agents.update(manager, principal.workspaceId, id, {
          name: agent.name, email: agent.email, role: agent.role, availability: agent.availability, capacity: agent.capacity,
          deactivatedAt: agent.deactivatedAt, updatedAt: agent.updatedAt,
          ...(passwordHash ? { passwordHash } : {}),
        });
        // Whoever held the old password may hold a session too, so every session ends, the caller's own included.
        if (deactivating) await this.sessions.endAllOfAgent(principal, id, 'deactivated');
        else if (passwordHash) await this.sessions.endAllOfAgent(principal, id, 'password_changed');
        const hasPassword = passwordHash !== undefined || (await this.passwordFlags(principal, [id])).has(id);
        const view = toView(agent, hasPassword);
        await this.outbox.record(manager, principal, [{ type: 'agent.updated', subjectType: 'agent', subjectId: id, data: { agent: view, previous: before } }]);
        return view;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw duplicateEmail(input.email ?? '');
      throw error;
    }
  }

  /** Clears a lock set by failed logins, and the delays of the agent's account with it. */
  async unlock(principal: Principal, id: string): Promise<AgentView> {
    return this.transactions.run(async (manager) => {
      const agent = await this.agents.lock(manager, principal.workspaceId, id);
      if (!agent) throw new ResourceNotFound('agent', id);
      await this.loginThrottle.forgetAccount(manager, await this.workspaces.slugOf(principal), agent.email);
      if (agent.lockedAt === null) return toView(agent, (await this.passwordFlags(principal, [id])).has(id));
      const before = toView(agent, false);
      agent.lockedAt = null;
      agent.lockedUntil = null;
      agent.updatedAt = this.clock.now();
      await this.agents.update(manager, principal.workspaceId, id, { lockedAt: null, lockedUntil: null, updatedAt: agent.updatedAt });
      const view = toView(agent, (await this.passwordFlags(principal, [id])).has(id));
      await this.outbox.record(manager, principal, [{ type: 'agent.updated', subjectType: 'agent', subjectId: id, data: { agent: view, previous: before } }]);
      return view;
    });
  }

  private async passwordFlags(principal: Principal, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    return this.agents.withPasswords(this.transactions.manager, principal.workspaceId, ids);
  }
}
