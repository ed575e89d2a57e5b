import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TicketPriority, TicketStatus, TicketType } from '../ticket-lifecycle';
import { MAX_TICKET_SEARCH_LENGTH } from '../ticket-read-extensions';
import { TicketPriorityEnum, TicketStatusEnum, TicketTypeEnum } from './ticket-enums';

export const CUSTOM_FIELD_FILTER = /^[a-z][a-z0-9_]{0,63}:((gte|gt|lte|lt):)?.+$/s;
const CUSTOM_FIELD_FILTER_PATTERN = '^[a-z][a-z0-9_]{0,63}:.+$';

/** An ISO 8601 instant fits in 40 characters; longer ones are refused before the date parser sees them. */
const MAX_INSTANT = 40;

export const TICKET_SORTS = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority', 'slaDueAt'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const DEFAULT_TICKET_SORT: TicketSort = '-createdAt';

const ID_OR_NONE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|none)$/i;
// The contract states the same rule (case-insensitively spelled out, as JSON Schema patterns take no flags).
const ID_OR_NONE_PATTERN = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|none)$';
const commaList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);

/** Filters shared by REST query strings and the GraphQL `filter` argument. */
@InputType('TicketFilter')
export class TicketFilter {
  @Field(() => [TicketStatusEnum], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: TICKET_STATUSES, maxItems: 6, description: 'One or more, comma-separated or repeated.' })
  @IsOptional() @Transform(commaList) @IsArray() @ArrayMaxSize(6) @IsIn(TICKET_STATUSES, { each: true }) status?: TicketStatus[];
  @Field(() => [TicketPriorityEnum], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: TICKET_PRIORITIES, maxItems: 4 })
  @IsOptional() @Transform(commaList) @IsArray() @ArrayMaxSize(4) @IsIn(TICKET_PRIORITIES, { each: true }) priority?: TicketPriority[];
  @Field(() => [TicketTypeEnum], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: TICKET_TYPES, maxItems: 4 })
  @IsOptional() @Transform(commaList) @IsArray() @ArrayMaxSize(4) @IsIn(TICKET_TYPES, { each: true }) type?: TicketType[];
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ maxLength: 36, pattern: ID_OR_NONE_PATTERN, description: 'An agent id, or "none" for unassigned.' })
  @IsOptional() @Matches(ID_OR_NONE, { message: 'assigneeId must be a UUID or "none"' }) assigneeId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ maxLength: 36, pattern: ID_OR_NONE_PATTERN, description: 'A team id, or "none".' })
  @IsOptional() @Matches(ID_OR_NONE, { message: 'teamId must be a UUID or "none"' }) teamId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ maxLength: 36, pattern: ID_OR_NONE_PATTERN, description: 'An organization id, or "none" for tickets without one.' })
  @IsOptional() @Matches(ID_OR_NONE, { message: 'organizationId must be a UUID or "none"' }) organizationId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @Matches(ID_OR_NONE, { message: 'requesterId must be a UUID' }) requesterId?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 64, description: 'Tickets carrying this tag.' }) @IsOptional() @IsString() @MaxLength(64) tag?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'date-time', maxLength: MAX_INSTANT }) @IsOptional() @MaxLength(MAX_INSTANT) @IsDateString() createdAfter?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'date-time', maxLength: MAX_INSTANT }) @IsOptional() @MaxLength(MAX_INSTANT) @IsDateString() createdBefore?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'date-time', maxLength: MAX_INSTANT }) @IsOptional() @MaxLength(MAX_INSTANT) @IsDateString() updatedAfter?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'date-time', maxLength: MAX_INSTANT }) @IsOptional() @MaxLength(MAX_INSTANT) @IsDateString() updatedBefore?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'date-time', maxLength: MAX_INSTANT, description: 'Tickets with an SLA metric due (or overdue) before this instant.' })
  @IsOptional() @MaxLength(MAX_INSTANT) @IsDateString() slaDueBefore?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ type: Boolean, description: 'true: tickets with a breached SLA metric not yet fulfilled; false: without one.' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() slaBreached?: boolean;
  @Field(() => [String], { nullable: true })
  @ApiPropertyOptional({
    type: 'array', items: { type: 'string', maxLength: 300, pattern: CUSTOM_FIELD_FILTER_PATTERN }, maxItems: 10,
    description: 'Custom field conditions, all of which must hold; repeat the parameter: key:value (equal: a number or true/false when it parses as one, a string otherwise), key:[a,b] (a multiselect holding a and b), key:gte:value, key:gt:, key:lte:, key:lt: (numbers, or dates as YYYY-MM-DD). Example: customField=tier:gold&customField=seats:gte:10.',
  })
  @IsOptional() @Transform(({ value }) => (value === undefined ? undefined : Array.isArray(value) ? value : [value])) @IsArray() @ArrayMaxSize(10)
  @IsString({ each: true }) @MaxLength(300, { each: true }) @Matches(CUSTOM_FIELD_FILTER, { each: true, message: 'customField must be key:value or key:(gte|gt|lte|lt):value' }) customField?: string[];
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_TICKET_SEARCH_LENGTH, description: 'Search box syntax, as GET /v1/search (assignee:me excepted); narrows the list, which keeps its sort.' })
  @IsOptional() @IsString() @MaxLength(MAX_TICKET_SEARCH_LENGTH) q?: string;
}

export class ListTicketsQuery extends TicketFilter {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ maxLength: 500, description: 'The nextCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ enum: TICKET_SORTS, default: DEFAULT_TICKET_SORT, description: 'A leading "-" sorts descending.' })
  @IsOptional() @IsIn(TICKET_SORTS) sort?: TicketSort;
}
