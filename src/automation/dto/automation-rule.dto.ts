import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { PageInfo } from '../../common/dto/page-info.dto';
import { IsId, MAX_TEXT, NameString, NullMeansOmitted } from '../../common/dto/validators';
import { MAX_ACTIONS, TicketAction } from '../../macros/actions/ticket-action.dto';
import { MAX_SUBJECT, MAX_TAG, MAX_TAGS } from '../../tickets/dto/ticket.dto';
import { TicketChannelEnum, TicketPriorityEnum, TicketTypeEnum } from '../../tickets/dto/ticket-enums';
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_TYPES, TicketChannel, TicketPriority, TicketType } from '../../tickets/ticket-lifecycle';
import { CONDITION_FIELDS, CONDITION_OPERATORS, ConditionField, ConditionOperator } from '../rule-conditions';

/** `time` makes a time rule, run by the scheduler; it cannot be combined with the change events. */
export const RULE_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message_created', 'time'] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];
export const CHANGE_EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message_created'] as const;
export type ChangeEvent = (typeof CHANGE_EVENTS)[number];
export const RuleEventEnum = { ticket_created: 'ticket.created', ticket_updated: 'ticket.updated', ticket_message_created: 'ticket.message_created', time: 'time' } as const;
registerEnumType(RuleEventEnum, { name: 'RuleEvent' });
const MAX_CONDITIONS = 20;

@ObjectType('RuleCondition')
@InputType('RuleConditionInput')
export class RuleConditionDto {
  @Field(() => String) @ApiProperty({ enum: CONDITION_FIELDS }) @IsIn(CONDITION_FIELDS) field: ConditionField;
  @Field(() => String) @ApiProperty({
    enum: CONDITION_OPERATORS,
    description: 'is, is_not, changed_to, contains, not_contains, matches (regular expression), is_set, is_not_set; within and outside for businessHours; at_least and less_than for the minutesSince… and businessMinutesSince… fields of time rules',
  })
  @IsIn(CONDITION_OPERATORS) operator: ConditionOperator;
  @Field({ nullable: true }) @ApiPropertyOptional({
    maxLength: 500,
    description: 'Compared case-insensitively; not used by is_set and is_not_set. For businessHours, the id of a business-hours calendar of the workspace. For minutesSince… fields, a whole number of minutes (1 to 5256000; a JSON number is accepted too).',
  })
  @Transform(({ value }) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value))
  @IsOptional() @IsString() @MaxLength(500) value?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'uuid', description: 'For businessMinutesSince… fields only: the business-hours calendar whose open minutes are counted.' })
  @IsOptional() @IsString() @MaxLength(100) businessHoursId?: string;
}

@ObjectType('RuleConditions')
@InputType('RuleConditionsInput')
export class RuleConditionsDto {
  @Field(() => [RuleConditionDto], { nullable: true }) @ApiPropertyOptional({ type: [RuleConditionDto], maxItems: MAX_CONDITIONS, description: 'Every one must hold.' })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(MAX_CONDITIONS) @ValidateNested({ each: true }) @Type(() => RuleConditionDto) all?: RuleConditionDto[];
  @Field(() => [RuleConditionDto], { nullable: true }) @ApiPropertyOptional({ type: [RuleConditionDto], maxItems: MAX_CONDITIONS, description: 'At least one must hold, when given.' })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(MAX_CONDITIONS) @ValidateNested({ each: true }) @Type(() => RuleConditionDto) any?: RuleConditionDto[];
}

const POSITION_DESCRIPTION =
  'Rules run in ascending position. Positions are 0..n-1 in each workspace, never shared: a rule created at a position takes that ' +
  'place and the rules from there on move down one; omitted or beyond the end, it is appended.';
const MOVE_DESCRIPTION =
  'Moves the rule to this place; the rules in between shift by one, so positions stay 0..n-1. Beyond the end moves it last. ' +
  'Deleting a rule moves the ones after it up one.';

@InputType()
export class CreateAutomationRuleInput {
  @Field() @ApiProperty({ maxLength: 200 }) @NameString() name: string;
  @Field(() => Int, { nullable: true, description: POSITION_DESCRIPTION }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, description: POSITION_DESCRIPTION })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
  @Field({ nullable: true }) @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => [String]) @ApiProperty({ enum: RULE_EVENTS, isArray: true, maxItems: 3 }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(RULE_EVENTS, { each: true }) events: RuleEvent[];
  @Field(() => RuleConditionsDto) @ApiProperty({ type: RuleConditionsDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => RuleConditionsDto) conditions: RuleConditionsDto;
  @Field(() => [TicketAction]) @ApiProperty({ type: [TicketAction], minItems: 1, maxItems: MAX_ACTIONS })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ACTIONS) @ValidateNested({ each: true }) @Type(() => TicketAction) actions: TicketAction[];
}

@InputType()
export class UpdateAutomationRuleInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @ValidateIf((_, value) => value !== undefined) @NameString() name?: string;
  @Field(() => Int, { nullable: true, description: MOVE_DESCRIPTION }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, description: MOVE_DESCRIPTION })
  @ValidateIf((_, value) => value !== undefined) @IsInt() @Min(0) @Max(1_000_000) position?: number;
  @Field({ nullable: true }) @ApiPropertyOptional() @ValidateIf((_, value) => value !== undefined) @IsBoolean() enabled?: boolean;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ enum: RULE_EVENTS, isArray: true, maxItems: 3 })
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(RULE_EVENTS, { each: true }) events?: RuleEvent[];
  @Field(() => RuleConditionsDto, { nullable: true }) @ApiPropertyOptional({ type: RuleConditionsDto }) @ValidateIf((_, value) => value !== undefined) @IsObject() @ValidateNested() @Type(() => RuleConditionsDto) conditions?: RuleConditionsDto;
  @Field(() => [TicketAction], { nullable: true }) @ApiPropertyOptional({ type: [TicketAction], maxItems: MAX_ACTIONS })
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ACTIONS) @ValidateNested({ each: true }) @Type(() => TicketAction) actions?: TicketAction[];
}

@ObjectType('AutomationRule')
export class AutomationRuleView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => Int, { description: 'Unique in the workspace, 0..n-1: the order rules run in.' }) @ApiProperty({ description: 'Unique in the workspace, 0..n-1: the order rules run in.' }) position: number;
  @Field() @ApiProperty() enabled: boolean;
  @Field(() => [String]) @ApiProperty({ enum: RULE_EVENTS, isArray: true }) events: RuleEvent[];
  @Field(() => RuleConditionsDto) @ApiProperty({ type: RuleConditionsDto }) conditions: RuleConditionsDto;
  @Field(() => [TicketAction]) @ApiProperty({ type: [TicketAction] }) actions: TicketAction[];
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class AutomationRuleListView {
  @ApiProperty({ type: [AutomationRuleView] }) data: AutomationRuleView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@InputType('DraftMessageInput')
export class DraftMessageInput {
  @Field() @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) body: string;
}

@InputType('DraftTicketInput')
export class DraftTicketInput {
  @Field() @ApiProperty({ maxLength: MAX_SUBJECT }) @IsString() @MinLength(1) @MaxLength(MAX_SUBJECT) subject: string;
  @Field(() => DraftMessageInput) @ApiProperty({ type: DraftMessageInput }) @IsDefined() @IsObject() @ValidateNested() @Type(() => DraftMessageInput) message: DraftMessageInput;
  @Field(() => TicketPriorityEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_PRIORITIES }) @IsOptional() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @Field(() => TicketTypeEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_TYPES }) @IsOptional() @IsIn(TICKET_TYPES) type?: TicketType;
  @Field(() => TicketChannelEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_CHANNELS }) @IsOptional() @IsIn(TICKET_CHANNELS) channel?: TicketChannel;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: MAX_TAG }, maxItems: MAX_TAGS })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MaxLength(MAX_TAG, { each: true }) tags?: string[];
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'email', maxLength: 320 }) @IsOptional() @IsEmail() @MaxLength(320) requesterEmail?: string;
}

@InputType()
export class TestAutomationRulesInput {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', description: 'An existing ticket; or give a draft ticket.' })
  @ValidateIf((o: TestAutomationRulesInput) => o.ticket === undefined || o.ticketId !== undefined) @IsId() ticketId?: string;
  @Field(() => DraftTicketInput, { nullable: true }) @ApiPropertyOptional({ type: DraftTicketInput })
  @ValidateIf((o: TestAutomationRulesInput) => o.ticketId === undefined || o.ticket !== undefined) @IsObject() @ValidateNested() @Type(() => DraftTicketInput) ticket?: DraftTicketInput;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: CHANGE_EVENTS, default: 'ticket.created', description: 'Time rules are not dry-run here; the scheduler runs them.' })
  @IsOptional() @IsIn(CHANGE_EVENTS) event?: ChangeEvent;
}

@ObjectType('RuleTestResult')
export class RuleTestResultView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) ruleId: string;
  @Field() @ApiProperty() name: string;
  @Field(() => Int) @ApiProperty() position: number;
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: true, description: '{field: {before, after}}' }) changes: Record<string, { before: unknown; after: unknown }>;
  @Field(() => [String]) @ApiProperty({ type: [String], description: 'Rendered replies and notes.' }) messages: string[];
}

@ObjectType('RuleTestReport')
export class RuleTestReportView {
  @Field() @ApiProperty({ enum: CHANGE_EVENTS }) event: string;
  @Field(() => [RuleTestResultView]) @ApiProperty({ type: [RuleTestResultView], description: 'The rules that would fire, in order.' }) fired: RuleTestResultView[];
}

@ArgsType()
export class AutomationRulesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType()
export class AutomationRuleEdge {
  @Field(() => AutomationRuleView) node: AutomationRuleView;
  @Field() cursor: string;
}

@ObjectType()
export class AutomationRuleConnection {
  @Field(() => [AutomationRuleEdge]) edges: AutomationRuleEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
