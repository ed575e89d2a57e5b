import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { Conflict, ResourceNotFound, ValidationFailed } from '../../common/errors/domain-errors';
import { foreignKeyViolation, uniqueViolation } from '../../common/errors/postgres-errors';
import { Page } from '../../common/pagination/cursor';
import { TransactionRunner } from '../../database/transaction-runner';
import { Outbox } from '../../events/outbox';
import { BusinessCalendar, validateBusinessCalendar } from '../business-time';
import { OpenTicketsSlaRecompute } from '../recompute/open-tickets-sla-recompute';
import { CreateBusinessHoursInput, BusinessHoursView, UpdateBusinessHoursInput } from './dto/business-hours.dto';
import { BusinessHoursRepository } from './business-hours.repository';
import { BusinessHoursEntity } from './entities/business-hours.entity';

function toView(entity: BusinessHoursEntity): BusinessHoursView {
  return {
    id: entity.id,
    name: entity.name,
    timezone: entity.timezone,
    weekly: entity.weekly,
    holidays: entity.holidays as unknown as Array<Record<string, unknown>>,
    specialDays: entity.specialDays as unknown as Array<Record<string, unknown>>,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

const duplicateName = (error: unknown) =>
  uniqueViolation(error) ? new Conflict('Another business-hours calendar in this workspace already has this name.', 'duplicate', { field: 'name' }) : null;

/** The pure core's field errors already use the API's field names (timezone, weekly.monday[1], holidays[0].date, specialDays[0].hours[1]). */
function assertValidCalendar(calendar: BusinessCalendar): void {
  const errors = validateBusinessCalendar(calendar);
  if (errors.length > 0) throw new ValidationFailed(errors.map((error) => ({ field: error.field || 'weekly', message: error.message })));
}

@Injectable()
export class BusinessHoursService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly calendars: BusinessHoursRepository,
    // Absent only in the automation module's own read-only instance of this service, which never edits calendars.
    private readonly recompute: OpenTicketsSlaRecompute,
  ) {}

  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<BusinessHoursView>> {
    const result = await this.calendars.page(this.transactions.manager, principal.workspaceId, page);
    return { data: result.data.map(toView), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<BusinessHoursView> {
    const calendar = await this.calendars.find(this.transactions.manager, principal.workspaceId, id);
    if (!calendar) throw new ResourceNotFound('business-hours calendar', id);
    return toView(calendar);
  }

  /** For policies naming a calendar: a missing one is the caller's invalid field. */
  async assertExists(principal: Principal, id: string, field = 'businessHoursId'): Promise<void> {
    const exists = await this.calendars.exists(this.transactions.manager, principal.workspaceId, id);
    if (!exists) throw ValidationFailed.field(field, `no business-hours calendar with id ${id} exists in this workspace`);
  }

  async create(principal: Principal, input: CreateBusinessHoursInput): Promise<BusinessHoursView> {
    const calendar = { timezone: input.timezone, weekly: input.weekly, holidays: input.holidays ?? [], specialDays: input.specialDays ?? [] } as unknown as BusinessCalendar;
    assertValidCalendar(calendar);
    try {
      return await this.transactions.run(async (manager) => {
        const now = this.clock.now();
        const entity: BusinessHoursEntity = {
          workspaceId: principal.workspaceId,
          id: randomUUID(),
          name: input.name,
          timezone: calendar.timezone,
          weekly: calendar.weekly,
          holidays: calendar.holidays,
          specialDays: calendar.specialDays ?? [],
          createdAt: now,
          updatedAt: now,
        };
        await this.calendars.insert(manager, entity);
        const view = toView(entity);
        await this.outbox.record(manager, principal, [{ type: 'business_hours.created', subjectType: 'business_hours', subjectId: view.id, data: { businessHours: view } }]);
        return view;
      });
    } catch (error) {
      throw duplicateName(error) ?? error;
    }
  }

  /** Open tickets' running metrics measured on this calendar get due times recomputed from their start, in this transaction. */
  async update(principal: Principal, id: string, input: UpdateBusinessHoursInput): Promise<BusinessHoursView> {
    try {
      return await this.transactions.run(async (manager) => {
        const current = await this.calendars.lock(manager, principal.workspaceId, id);
        if (!current) throw new ResourceNotFound('business-hours calendar', id);
        const calendar = {
          timezone: input.timezone ?? current.timezone,
          weekly: input.weekly ?? current.weekly,
          holidays: input.holidays ?? current.holidays,
          specialDays: input.specialDays ?? current.specialDays,
        } as unknown as BusinessCalendar;
        assertValidCalendar(calendar);
        const updated: BusinessHoursEntity = { ...current, ...calendar, name: input.name ?? current.name, updatedAt: this.clock.now() };
        // The compiled-calendar cache is keyed by update time, so it must move forward even if the clock is held still.
        if (updated.updatedAt.getTime() <= current.updatedAt.getTime()) updated.updatedAt = new Date(current.updatedAt.getTime() + 1);
        await this.calendars.update(manager, principal.workspaceId, id, {
          name: updated.name, timezone: updated.timezone, weekly: updated.weekly, holidays: updated.holidays, specialDays: updated.specialDays, updatedAt: updated.updatedAt,
        });
        const view = toView(updated);
        if (input.timezone !== undefined || input.weekly !== undefined || input.holidays !== undefined || input.specialDays !== undefined) {
          await this.recompute.recompute(manager, principal.workspaceId, { kind: 'calendar', calendarId: id });
        }
        await this.outbox.record(manager, principal, [{ type: 'business_hours.updated', subjectType: 'business_hours', subjectId: id, data: { businessHours: view } }]);
        return view;
      });
    } catch (error) {
      throw duplicateName(error) ?? error;
    }
  }

  async delete(principal: Principal, id: string): Promise<void> {
    try {
      await this.transactions.run(async (manager) => {
        const view = await this.get(principal, id);
        await this.calendars.delete(manager, principal.workspaceId, id);
        await this.outbox.record(manager, principal, [{ type: 'business_hours.deleted', subjectType: 'business_hours', subjectId: id, data: { businessHours: view } }]);
      });
    } catch (error) {
      if (foreignKeyViolation(error)) {
        throw new Conflict(`Business-hours calendar ${id} is used by SLA policies; point them at another calendar first.`, 'business_hours_in_use');
      }
      throw error;
    }
  }
}
