import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsId } from '../../common/dto/validators';
import { SLA_METRICS, SlaMetric } from '../../sla/policies/sla-policy-rules';
import { TICKET_CHANNELS, TicketChannel } from '../../tickets/ticket-lifecycle';
import { REPORT_INTERVALS, ReportInterval } from '../report-window';

export const BREAKDOWN_DIMENSIONS = ['agent', 'team', 'organization', 'channel', 'priority', 'tag'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period and the ticket scope shared by every report. Filters apply to tickets' current team, assignee and channel. */
export class ReportScopeQuery {
  @ApiPropertyOptional({ format: 'date', maxLength: 10, description: 'First local day included; defaults to 29 days before `to`.' })
  @IsOptional() @Matches(DATE, { message: 'from must be a date as YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ format: 'date', maxLength: 10, description: 'Last local day included; defaults to today in the time zone.' })
  @IsOptional() @Matches(DATE, { message: 'to must be a date as YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ default: 'UTC', maxLength: 64, description: 'IANA time zone in which days, weeks (from Monday) and months begin.' })
  @IsOptional() @IsString() @MaxLength(64) timezone?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() teamId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Tickets assigned to this agent.' }) @IsOptional() @IsId() agentId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Tickets of this organization.' }) @IsOptional() @IsId() organizationId?: string;
  @ApiPropertyOptional({ enum: TICKET_CHANNELS }) @IsOptional() @IsIn(TICKET_CHANNELS) channel?: TicketChannel;
}

export class OverviewQuery extends ReportScopeQuery {
  @ApiPropertyOptional({ enum: REPORT_INTERVALS, default: 'day' }) @IsOptional() @IsIn(REPORT_INTERVALS) interval?: ReportInterval;
}

export class BreakdownQuery extends ReportScopeQuery {
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS }) @IsIn(BREAKDOWN_DIMENSIONS) by: BreakdownDimension;
}

export const DURATION_UNITS = ['business', 'calendar', 'mixed'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const UNIT_DESCRIPTION =
  'business: every duration in the figure is in business minutes (the ticket\'s SLA policy has a business-hours calendar); '
  + 'calendar: every one is in calendar minutes; mixed: some of each; null without durations.';

export class SlaAchievementView {
  @ApiProperty({ enum: SLA_METRICS }) metric: SlaMetric;
  @ApiProperty({ description: 'Metric cycles with a target fulfilled by their due time, counted when fulfilled.' }) met: number;
  @ApiProperty({ description: 'Metric cycles that missed their target, counted at their due time.' }) breached: number;
  @ApiProperty({ type: Number, nullable: true, description: 'met / (met + breached) in percent, one decimal; null without outcomes.' })
  percentage: number | null;
}

/**
 * Figures shared by an interval of the overview and a row of a breakdown. A ticket's durations are business minutes
 * when its SLA policy has a calendar, calendar minutes otherwise; each figure names its unit.
 */
export class ReportFigures {
  @ApiProperty({ description: 'Tickets created.' }) created: number;
  @ApiProperty({ description: 'Resolutions: moves from an unresolved status to resolved or closed.' }) resolved: number;
  @ApiProperty({ description: 'Moves from resolved back to an unresolved status.' }) reopened: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median minutes from creation to the first public helpdesk reply, over first replies in the period.' })
  firstResponseMedianMinutes: number | null;
  @ApiProperty({ type: Number, nullable: true }) firstResponseP90Minutes: number | null;
  @ApiProperty({ enum: DURATION_UNITS, nullable: true, description: UNIT_DESCRIPTION }) firstResponseUnit: DurationUnit | null;
  @ApiProperty({
    type: Number, nullable: true,
    description: 'Median minutes to resolution, over resolutions in the period: from creation in calendar minutes; in business minutes, '
      + 'the SLA resolution clock (which the policy pauses in pending and on hold).',
  })
  resolutionMedianMinutes: number | null;
  @ApiProperty({ type: Number, nullable: true }) resolutionP90Minutes: number | null;
  @ApiProperty({ enum: DURATION_UNITS, nullable: true, description: UNIT_DESCRIPTION }) resolutionUnit: DurationUnit | null;
  @ApiProperty() satisfactionGood: number;
  @ApiProperty() satisfactionBad: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Percentage of good ratings; null without ratings.' }) satisfactionScore: number | null;
  @ApiProperty({ type: [SlaAchievementView], description: 'Per SLA metric, in the order first_response, next_response, resolution.' })
  slaAchievement: SlaAchievementView[];
}

export class OverviewIntervalView extends ReportFigures {
  @ApiProperty({ format: 'date', description: 'The local day the interval starts on.' }) date: string;
  @ApiProperty() startsAt: Date;
  @ApiProperty({ description: 'Exclusive.' }) endsAt: Date;
  @ApiProperty({ description: 'Tickets not resolved or closed at the end of the interval.' }) backlog: number;
}

export class OverviewView {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty() timezone: string;
  @ApiProperty({ enum: REPORT_INTERVALS }) interval: ReportInterval;
  @ApiProperty({ enum: DURATION_UNITS, description: 'The unit of every duration in the report taken together (calendar when there is none).' })
  durationUnit: DurationUnit;
  @ApiProperty({ type: [OverviewIntervalView] }) intervals: OverviewIntervalView[];
}

export class BreakdownRowView extends ReportFigures {
  @ApiProperty({ type: String, nullable: true, description: 'Agent or team id, channel, priority or tag; null for unassigned, no team, untagged.' })
  key: string | null;
  @ApiProperty() label: string;
}

export class BreakdownView {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty() timezone: string;
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS }) by: BreakdownDimension;
  @ApiProperty({ enum: DURATION_UNITS, description: 'The unit of every duration in the report taken together (calendar when there is none).' })
  durationUnit: DurationUnit;
  @ApiProperty({ type: [BreakdownRowView] }) rows: BreakdownRowView[];
}
