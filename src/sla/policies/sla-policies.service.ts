import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { Conflict, ResourceNotFound, ValidationFailed } from '../../common/errors/domain-errors';
import { uniqueViolation } from '../../common/errors/postgres-errors';
import { encodeCursor, Page } from '../../common/pagination/cursor';
import { WorkspaceCache } from '../../common/cache/workspace-cache';
import { TransactionRunner } from '../../database/transaction-runner';
import { Outbox } from '../../events/outbox';
import { OrganizationsService } from '../../organizations/organizations.service';
import { TeamsService } from '../../teams/teams.service';
import { BusinessHoursService } from '../business-hours/business-hours.service';
import { OpenTicketsSlaRecompute } from '../recompute/open-tickets-sla-recompute';
import { CreateSlaPolicyInput, SlaPolicyView, UpdateSlaPolicyInput } from './dto/sla-policy.dto';
import { SlaPolicyEntity } from './entities/sla-policy.entity';
import { SlaPoliciesRepository } from './sla-policies.repository';
import { DEFAULT_PAUSED_STATUSES, SlaConditions } from './sla-policy-rules';

const BY_POSITION = 'position';
/** Fields that can change which policy, target, calendar or pause rule applies to a ticket (everything but the name). */
const MEASURING_FIELDS = ['position', 'businessHoursId', 'conditions', 'targets', 'pausedStatuses'] as const;

export function slaPolicyCursor(policy: Pick<SlaPolicyView, 'id' | 'position'>): string {
  return encodeCursor(BY_POSITION, { sortValue: policy.position, id: policy.id });
}

/** Drops undefined members and class prototypes so what is stored is exactly the JSON the API shows. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {}));

function toView(entity: SlaPolicyEntity): SlaPolicyView {
  return {
    id: entity.id,
    name: entity.name,
    position: entity.position,
    businessHoursId: entity.businessHoursId,
    conditions: entity.conditions,
    targets: entity.targets,
    pausedStatuses: entity.pausedStatuses,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

const duplicateName = (error: unknown) =>
  uniqueViolation(error) === 'sla_policies_workspace_name_key' ? new Conflict('Another SLA policy in this workspace already has this name.', 'duplicate', { field: 'name' }) : null;

/**
 * Every create, edit, reorder or delete re-measures the running metrics of the workspace's open tickets in the same
 * transaction (see OpenTicketsSlaRecompute); a rename alone does not.
 */
@Injectable()
export class SlaPoliciesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly calendars: BusinessHoursService,
    private readonly teams: TeamsService,
    private readonly organizations: OrganizationsService,
    private readonly repository: SlaPoliciesRepository,
    private readonly recompute: OpenTicketsSlaRecompute,
  ) {}

  private readonly cache = new WorkspaceCache<SlaPolicyView[]>();

  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<SlaPolicyView>> {
    const result = await this.repository.page(this.transactions.manager, principal.workspaceId, BY_POSITION, page);
    return { data: result.data.map(toView), nextCursor: result.nextCursor };
  }

  /** All policies in the order they are tried; a workspace has a handful, read on every SLA-relevant ticket change. */
  async ordered(manager: EntityManager, workspaceId: string): Promise<SlaPolicyView[]> {
    return this.cache.get(workspaceId, async () => (await this.repository.ordered(manager, workspaceId)).map(toView));
  }

  async get(principal: Principal, id: string): Promise<SlaPolicyView> {
    const policy = await this.repository.find(this.transactions.manager, principal.workspaceId, id);
    if (!policy) throw new ResourceNotFound('SLA policy', id);
    return toView(policy);
  }

  async create(principal: Principal, input: CreateSlaPolicyInput): Promise<SlaPolicyView> {
    try {
      return await this.cache.writing(principal.workspaceId, () => this.transactions.run(async (manager) => {
        await this.assertReferences(principal, input);
        await this.repository.positions.lock(manager, principal.workspaceId);
        const position = await this.repository.positions.makeRoom(manager, principal.workspaceId, input.position);
        const now = this.clock.now();
        const entity: SlaPolicyEntity = {
          workspaceId: principal.workspaceId,
          id: randomUUID(),
          name: input.name,
          position,
          businessHoursId: input.businessHoursId ?? null,
          conditions: plain<SlaConditions>(input.conditions ?? {}),
          targets: plain(input.targets),
          pausedStatuses: { ...DEFAULT_PAUSED_STATUSES, ...plain(input.pausedStatuses ?? {}) },
          createdAt: now,
          updatedAt: now,
        };
        await this.repository.insert(manager, entity);
        const view = toView(entity);
        await this.recompute.recompute(manager, principal.workspaceId, { kind: 'policies' });
        await this.outbox.record(manager, principal, [{ type: 'sla_policy.created', subjectType: 'sla_policy', subjectId: view.id, data: { slaPolicy: view } }]);
        return view;
      }));
    } catch (error) {
      throw duplicateName(error) ?? error;
    }
  }

  async update(principal: Principal, id: string, input: UpdateSlaPolicyInput): Promise<SlaPolicyView> {
    try {
      return await this.cache.writing(principal.workspaceId, () => this.transactions.run(async (manager) => {
        await this.repository.positions.lock(manager, principal.workspaceId);
        const current = await this.repository.lock(manager, principal.workspaceId, id);
        if (!current) throw new ResourceNotFound('SLA policy', id);
        await this.assertReferences(principal, input);
        const position = input.position === undefined ? current.position : await this.repository.positions.move(manager, principal.workspaceId, id, current.position, input.position);
        const updated: SlaPolicyEntity = {
          ...current,
          name: input.name ?? current.name,
          position,
          businessHoursId: input.businessHoursId === undefined ? current.businessHoursId : input.businessHoursId,
          conditions: input.conditions === undefined ? current.conditions : plain<SlaConditions>(input.conditions),
          targets: input.targets === undefined ? current.targets : plain(input.targets),
          pausedStatuses: input.pausedStatuses === undefined ? current.pausedStatuses : { ...DEFAULT_PAUSED_STATUSES, ...plain(input.pausedStatuses) },
          updatedAt: this.clock.now(),
        };
        await this.repository.update(manager, principal.workspaceId, id, {
          name: updated.name,
          position: updated.position,
          businessHoursId: updated.businessHoursId,
          conditions: updated.conditions,
          targets: updated.targets,
          pausedStatuses: updated.pausedStatuses,
          updatedAt: updated.updatedAt,
        });
        const view = toView(updated);
        if (MEASURING_FIELDS.some((field) => input[field] !== undefined)) await this.recompute.recompute(manager, principal.workspaceId, { kind: 'policies' });
        await this.outbox.record(manager, principal, [{ type: 'sla_policy.updated', subjectType: 'sla_policy', subjectId: id, data: { slaPolicy: view } }]);
        return view;
      }));
    } catch (error) {
      throw duplicateName(error) ?? error;
    }
  }

  /** Open tickets measured under the policy move to the next matching policy, or to no SLA. */
  async delete(principal: Principal, id: string): Promise<void> {
    await this.cache.writing(principal.workspaceId, () => this.transactions.run(async (manager) => {
      await this.repository.positions.lock(manager, principal.workspaceId);
      const view = await this.get(principal, id);
      await this.repository.delete(manager, principal.workspaceId, id);
      await this.repository.positions.closeGap(manager, principal.workspaceId, view.position);
      await this.recompute.recompute(manager, principal.workspaceId, { kind: 'policies' });
      await this.outbox.record(manager, principal, [{ type: 'sla_policy.deleted', subjectType: 'sla_policy', subjectId: id, data: { slaPolicy: view } }]);
    }));
  }

  private async assertReferences(principal: Principal, input: { businessHoursId?: string | null; conditions?: SlaConditions }): Promise<void> {
    if (input.businessHoursId) await this.calendars.assertExists(principal, input.businessHoursId, 'businessHoursId');
    const teamIds = input.conditions?.teamIds ?? [];
    if (teamIds.length > 0) {
      const found = await this.teams.findByIds(principal, teamIds.map((teamId) => teamId.toLowerCase()));
      const unknown = teamIds.flatMap((teamId, index) =>
        found.has(teamId.toLowerCase()) ? [] : [{ field: `conditions.teamIds[${index}]`, message: `no team with id ${teamId} exists in this workspace` }],
      );
      if (unknown.length > 0) throw new ValidationFailed(unknown);
    }
    const organizationIds = input.conditions?.organizationIds ?? [];
    if (organizationIds.length > 0) {
      const found = await this.organizations.findByIds(principal, organizationIds.map((organizationId) => organizationId.toLowerCase()));
      const unknown = organizationIds.flatMap((organizationId, index) =>
        found.has(organizationId.toLowerCase()) ? [] : [{ field: `conditions.organizationIds[${index}]`, message: `no organization with id ${organizationId} exists in this workspace` }],
      );
      if (unknown.length > 0) throw new ValidationFailed(unknown);
    }
  }
}
