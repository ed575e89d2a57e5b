import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { IsBoundedJsonObject } from '../../../common/dto/json-object.validator';
import { PageInfo } from '../../../common/dto/page-info.dto';
import { NameString } from '../../../common/dto/validators';

export const MAX_HOLIDAYS = 500;
export const MAX_SPECIAL_DAYS = 500;
const WEEKLY_LIMITS = { maxKeys: 7, maxBytes: 8 * 1024 };
// Intervals are HH:MM-HH:MM and may not overlap, so a day has at most one per minute.
const WEEKLY_DAY = { type: 'array', maxItems: 1440, items: { type: 'string', maxLength: 11, example: '09:00-17:00' } } as const;

const WEEKLY_DESCRIPTION =
  'Open intervals per day in local wall-clock time, e.g. {"monday": ["09:00-12:30", "13:30-18:00"], "sunday": []}. ' +
  'An interval may run past midnight ("22:00-06:00") and belongs to the day it starts on; a missing day is closed.';
const HOLIDAYS_DESCRIPTION =
  'Days without business hours: {date, name} or {from, to, name} (yyyy-mm-dd, both ends included), optionally repeatsYearly. ' +
  'A holiday cancels the intervals starting on it.';
const SPECIAL_DAYS_DESCRIPTION =
  'Dates with their own hours, replacing the weekly intervals of that date: {date: "2026-12-24", hours: ["09:00-13:00"], name: "Christmas Eve"}. ' +
  'An empty hours list closes the day like a holiday; an interval may run past midnight. A special day wins over a holiday on the same date; ' +
  'one entry per date.';
const SPECIAL_DAY: SchemaObject = {
  type: 'object',
  required: ['date', 'hours', 'name'],
  properties: {
    date: { type: 'string', format: 'date', maxLength: 10, example: '2026-12-24' },
    hours: { type: 'array', maxItems: 12, items: { type: 'string', maxLength: 11, example: '09:00-13:00' } },
    name: { type: 'string', maxLength: 200, example: 'Christmas Eve' },
  },
};

@InputType()
export class CreateBusinessHoursInput {
  @Field() @ApiProperty({ maxLength: 200, description: 'Unique in the workspace, case-insensitively.' }) @NameString() name: string;
  @Field() @ApiProperty({ example: 'Europe/Berlin', maxLength: 64, description: 'IANA time zone of the schedule.' }) @IsString() @MaxLength(64) timezone: string;
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: WEEKLY_DAY, description: WEEKLY_DESCRIPTION })
  @IsBoundedJsonObject(WEEKLY_LIMITS) weekly: Record<string, string[]>;
  @Field(() => [GraphQLJSONObject], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, maxItems: MAX_HOLIDAYS, description: HOLIDAYS_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_HOLIDAYS) @IsObject({ each: true }) holidays?: Array<Record<string, unknown>>;
  @Field(() => [GraphQLJSONObject], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: SPECIAL_DAY, maxItems: MAX_SPECIAL_DAYS, description: SPECIAL_DAYS_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_SPECIAL_DAYS) @IsObject({ each: true }) specialDays?: Array<Record<string, unknown>>;
}

@InputType()
export class UpdateBusinessHoursInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @ValidateIf((_, value) => value !== undefined) @NameString() name?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 64 }) @ValidateIf((_, value) => value !== undefined) @IsString() @MaxLength(64) timezone?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional({ type: 'object', additionalProperties: WEEKLY_DAY, description: 'Replaces the whole week.' })
  @ValidateIf((_, value) => value !== undefined) @IsBoundedJsonObject(WEEKLY_LIMITS) weekly?: Record<string, string[]>;
  @Field(() => [GraphQLJSONObject], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, maxItems: MAX_HOLIDAYS, description: 'Replaces all holidays.' })
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMaxSize(MAX_HOLIDAYS) @IsObject({ each: true }) holidays?: Array<Record<string, unknown>>;
  @Field(() => [GraphQLJSONObject], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: SPECIAL_DAY, maxItems: MAX_SPECIAL_DAYS, description: 'Replaces all special days.' })
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMaxSize(MAX_SPECIAL_DAYS) @IsObject({ each: true }) specialDays?: Array<Record<string, unknown>>;
}

@ObjectType('BusinessHours')
export class BusinessHoursView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field() @ApiProperty() timezone: string;
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) weekly: Record<string, string[]>;
  @Field(() => [GraphQLJSONObject]) @ApiProperty({ type: 'array', items: { type: 'object' } }) holidays: Array<Record<string, unknown>>;
  @Field(() => [GraphQLJSONObject]) @ApiProperty({ type: 'array', items: SPECIAL_DAY, description: SPECIAL_DAYS_DESCRIPTION }) specialDays: Array<Record<string, unknown>>;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class BusinessHoursListView {
  @ApiProperty({ type: [BusinessHoursView] }) data: BusinessHoursView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ArgsType()
export class BusinessHoursArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType()
export class BusinessHoursEdge {
  @Field(() => BusinessHoursView) node: BusinessHoursView;
  @Field() cursor: string;
}

@ObjectType()
export class BusinessHoursConnection {
  @Field(() => [BusinessHoursEdge]) edges: BusinessHoursEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
