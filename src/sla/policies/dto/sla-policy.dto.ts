import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { PageInfo } from '../../../common/dto/page-info.dto';
import { IsId, NameString, NullMeansOmitted } from '../../../common/dto/validators';
import { TicketChannelEnum, TicketPriorityEnum, TicketStatusEnum, TicketTypeEnum } from '../../../tickets/dto/ticket-enums';
import {
  TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_TYPES, TicketChannel, TicketPriority, TicketStatus, TicketType,
} from '../../../tickets/ticket-lifecycle';

const MAX_TARGET_MINUTES = 366 * 24 * 60;
const PAUSABLE_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

const Minutes = () => (target: object, key: string) => {
  Field(() => Int, { nullable: true })(target, key);
  ApiPropertyOptional({ minimum: 1, maximum: MAX_TARGET_MINUTES, description: 'Business minutes.' })(target, key);
  IsOptional()(target, key);
  IsInt()(target, key);
  Min(1)(target, key);
  Max(MAX_TARGET_MINUTES)(target, key);
};

@InputType('SlaMetricTargetsInput')
@ObjectType('SlaMetricTargets')
export class SlaMetricTargets {
  @Minutes() firstResponse?: number;
  @Minutes() nextResponse?: number;
  @Minutes() resolution?: number;
}

const PriorityTargets = () => (target: object, key: string) => {
  Field(() => SlaMetricTargets, { nullable: true })(target, key);
  ApiPropertyOptional({ type: SlaMetricTargets })(target, key);
  IsOptional()(target, key);
  IsObject()(target, key);
  ValidateNested()(target, key);
  Type(() => SlaMetricTargets)(target, key);
};

@InputType('SlaTargetsInput')
@ObjectType('SlaTargets')
export class SlaTargets {
  @PriorityTargets() low?: SlaMetricTargets;
  @PriorityTargets() normal?: SlaMetricTargets;
  @PriorityTargets() high?: SlaMetricTargets;
  @PriorityTargets() urgent?: SlaMetricTargets;
}

const Statuses = () => (target: object, key: string) => {
  Field(() => [TicketStatusEnum], { nullable: true })(target, key);
  ApiPropertyOptional({ type: [String], enum: PAUSABLE_STATUSES, maxItems: 4 })(target, key);
  NullMeansOmitted()(target, key);
  IsOptional()(target, key);
  IsArray()(target, key);
  ArrayMaxSize(4)(target, key);
  IsIn(PAUSABLE_STATUSES, { each: true })(target, key);
};

@InputType('SlaPausedStatusesInput')
@ObjectType('SlaPausedStatuses')
export class SlaPausedStatuses {
  @Statuses() firstResponse?: TicketStatus[];
  @Statuses() nextResponse?: TicketStatus[];
  @Statuses() resolution?: TicketStatus[];
}

@InputType('SlaConditionsInput')
@ObjectType('SlaConditions')
export class SlaConditions {
  @Field(() => [TicketPriorityEnum], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: TICKET_PRIORITIES, maxItems: 4 })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(4) @IsIn(TICKET_PRIORITIES, { each: true }) priorities?: TicketPriority[];
  @Field(() => [TicketTypeEnum], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: TICKET_TYPES, maxItems: 4 })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(4) @IsIn(TICKET_TYPES, { each: true }) types?: TicketType[];
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 50, description: 'Matches tickets carrying any of these tags.' })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(64, { each: true }) tags?: string[];
  @Field(() => [ID], { nullable: true }) @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100 })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) teamIds?: string[];
  @Field(() => [TicketChannelEnum], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: TICKET_CHANNELS, maxItems: 5 })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(5) @IsIn(TICKET_CHANNELS, { each: true }) channels?: TicketChannel[];
  @Field(() => [ID], { nullable: true }) @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100, description: 'Tickets of one of these organizations.' })
  @NullMeansOmitted() @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) organizationIds?: string[];
}

const POSITION_DESCRIPTION =
  'Lowest first; the first policy whose conditions match a ticket applies. Positions are 0..n-1 in each workspace, never shared: ' +
  'a policy created at a position takes that place and the policies from there on move down one; omitted or beyond the end, it is appended.';
const MOVE_DESCRIPTION =
  'Moves the policy to this place; the policies in between shift by one, so positions stay 0..n-1. Beyond the end moves it last. ' +
  'Deleting a policy moves the ones after it up one.';

@InputType()
export class CreateSlaPolicyInput {
  @Field() @ApiProperty({ maxLength: 200 }) @NameString() name: string;
  @Field(() => Int, { nullable: true, description: POSITION_DESCRIPTION }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, description: POSITION_DESCRIPTION })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null or omitted: around the clock.' })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsId() businessHoursId?: string | null;
  @Field(() => SlaConditions, { nullable: true }) @ApiPropertyOptional({ type: SlaConditions, description: 'An empty object matches every ticket.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SlaConditions) conditions?: SlaConditions;
  @Field(() => SlaTargets) @ApiProperty({ type: SlaTargets, description: 'Business minutes per priority and metric; a priority without targets gets no SLA.' })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => SlaTargets) targets: SlaTargets;
  @Field(() => SlaPausedStatuses, { nullable: true }) @ApiPropertyOptional({ type: SlaPausedStatuses, description: 'Statuses that pause each metric; default: pending and on_hold pause resolution only.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SlaPausedStatuses) pausedStatuses?: SlaPausedStatuses;
}

@InputType()
export class UpdateSlaPolicyInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @ValidateIf((_, value) => value !== undefined) @NameString() name?: string;
  @Field(() => Int, { nullable: true, description: MOVE_DESCRIPTION }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, description: MOVE_DESCRIPTION })
  @ValidateIf((_, value) => value !== undefined) @IsInt() @Min(0) @Max(1_000_000) position?: number;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null: around the clock.' })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsId() businessHoursId?: string | null;
  @Field(() => SlaConditions, { nullable: true }) @ApiPropertyOptional({ type: SlaConditions, description: 'Replaces all conditions.' })
  @ValidateIf((_, value) => value !== undefined) @IsObject() @ValidateNested() @Type(() => SlaConditions) conditions?: SlaConditions;
  @Field(() => SlaTargets, { nullable: true }) @ApiPropertyOptional({ type: SlaTargets, description: 'Replaces all targets.' })
  @ValidateIf((_, value) => value !== undefined) @IsObject() @ValidateNested() @Type(() => SlaTargets) targets?: SlaTargets;
  @Field(() => SlaPausedStatuses, { nullable: true }) @ApiPropertyOptional({ type: SlaPausedStatuses })
  @ValidateIf((_, value) => value !== undefined) @IsObject() @ValidateNested() @Type(() => SlaPausedStatuses) pausedStatuses?: SlaPausedStatuses;
}

@ObjectType('SlaPolicy')
export class SlaPolicyView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => Int, { description: 'Unique in the workspace, 0..n-1: the order policies are tried in.' }) @ApiProperty({ description: 'Unique in the workspace, 0..n-1: the order policies are tried in.' }) position: number;
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String }) businessHoursId: string | null;
  @Field(() => SlaConditions) @ApiProperty({ type: SlaConditions }) conditions: SlaConditions;
  @Field(() => SlaTargets) @ApiProperty({ type: SlaTargets }) targets: SlaTargets;
  @Field(() => SlaPausedStatuses) @ApiProperty({ type: SlaPausedStatuses }) pausedStatuses: SlaPausedStatuses;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class SlaPolicyListView {
  @ApiProperty({ type: [SlaPolicyView] }) data: SlaPolicyView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ArgsType()
export class SlaPoliciesArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType()
export class SlaPolicyEdge {
  @Field(() => SlaPolicyView) node: SlaPolicyView;
  @Field() cursor: string;
}

@ObjectType()
export class SlaPolicyConnection {
  @Field(() => [SlaPolicyEdge]) edges: SlaPolicyEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
