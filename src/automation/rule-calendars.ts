import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { FieldError, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { BusinessHoursService } from '../sla/business-hours/business-hours.service';
import { BusinessCalendar, compileCalendar, CompiledCalendar, isOpenAt } from '../sla/business-time';
import { calendarReferences, RuleConditions } from './rule-conditions';

/** Calendars compiled for one change (or one tester request); undefined records a calendar that no longer exists. */
export type CompiledCalendars = Map<string, CompiledCalendar | undefined>;

/** The business-hours calendars rule conditions name: checked when a rule is saved, evaluated when rules run. */
@Injectable()
export class RuleCalendars {
  constructor(private readonly calendars: BusinessHoursService) {}

  /** One error per condition naming a calendar that is not in the caller's workspace. */
  async missing(principal: Principal, conditions: RuleConditions, path: string): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    for (const { calendarId, field } of calendarReferences(conditions, path)) {
      try {
        await this.calendars.assertExists(principal, calendarId, field);
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        errors.push(...error.errors);
      }
    }
    return errors;
  }

  /**
   * Whether each calendar named by the rules' conditions is open at `at`. Rules keep a calendar's id without a
   * foreign key, so one deleted since is left out and its conditions do not hold.
   */
  async openAt(principal: Principal, rules: Array<{ conditions: RuleConditions }>, at: Date, compiled: CompiledCalendars): Promise<Map<string, boolean>> {
    const open = new Map<string, boolean>();
    for (const rule of rules) {
      for (const { calendarId } of calendarReferences(rule.conditions, 'conditions')) {
        if (open.has(calendarId)) continue;
        if (!compiled.has(calendarId)) compiled.set(calendarId, await this.compile(principal, calendarId));
        const calendar = compiled.get(calendarId);
        if (calendar !== undefined) open.set(calendarId, isOpenAt(calendar, at));
      }
    }
    return open;
  }

  private async compile(principal: Principal, calendarId: string): Promise<CompiledCalendar | undefined> {
    try {
      const { timezone, weekly, holidays, specialDays } = await this.calendars.get(principal, calendarId);
      // The view's loose JSON shapes were validated as a calendar when it was saved.
      return compileCalendar({ timezone, weekly, holidays, specialDays } as unknown as BusinessCalendar);
    } catch (error) {
      if (error instanceof ResourceNotFound) return undefined;
      throw error;
    }
  }
}
