import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { IsId } from '../../common/dto/validators';
import { PageInfo } from '../../common/dto/page-info.dto';

const CURSOR = /^(0|[1-9]\d{0,17})$/;
const CURSOR_MESSAGE = '$property must be a cursor of this feed (a nextCursor or an event cursor)';
const TYPES_DESCRIPTION = 'Comma-separated event types: exact names (`sla.breached`) or a prefix (`ticket.*`). All types when absent.';

export class ListEventsQuery {
  @ApiPropertyOptional({ description: 'Read events after this cursor (a nextCursor, or an event\'s cursor). Absent: from the oldest event still kept.', example: '1024', pattern: CURSOR.source, maxLength: 18 })
  @IsOptional() @IsString() @Matches(CURSOR, { message: CURSOR_MESSAGE }) after?: string;

  @ApiPropertyOptional({ description: TYPES_DESCRIPTION, example: 'ticket.*,sla.breached', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) types?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events about this ticket.' })
  @IsOptional() @IsId() ticketId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 30, default: 0, description: 'Long-poll: when nothing matches yet, wait up to this many seconds for a matching event before answering with an empty page.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(30) wait?: number;
}

export class StreamEventsQuery {
  @ApiPropertyOptional({ description: 'Resume after this cursor; the Last-Event-ID header, which EventSource sends on reconnect, takes precedence. Absent: events from now on.', example: '1024', pattern: CURSOR.source, maxLength: 18 })
  @IsOptional() @IsString() @Matches(CURSOR, { message: CURSOR_MESSAGE }) after?: string;

  @ApiPropertyOptional({ description: TYPES_DESCRIPTION, example: 'ticket.*', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) types?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events about this ticket.' })
  @IsOptional() @IsId() ticketId?: string;
}

export class PortalStreamQuery {
  @ApiPropertyOptional({ description: 'Resume after this cursor (Last-Event-ID takes precedence). Absent: events from now on.', example: '1024', pattern: CURSOR.source, maxLength: 18 })
  @IsOptional() @IsString() @Matches(CURSOR, { message: CURSOR_MESSAGE }) after?: string;
}

/** The webhook envelope, with the event's place in the feed. */
export class FeedEventView {
  @ApiProperty({ description: 'The event\'s position in the feed: pass it as `after` (or it arrives as the SSE id) to continue after it.', example: '1025' }) cursor: string;
  @ApiProperty({ format: 'uuid', description: 'The event id, the same as in the webhook delivery.' }) id: string;
  @ApiProperty({ example: 'ticket.status_changed' }) type: string;
  @ApiProperty({ enum: [1] }) version: 1;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'uuid' }) workspaceId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As in webhooks (see the OpenAPI `webhooks` section); ticket events carry `sequence`, their place in the ticket\'s history.' })
  data: Record<string, unknown>;
}

export class FeedPageView {
  @ApiProperty({ type: [FeedEventView], description: 'In commit order.' }) data: FeedEventView[];
  @ApiProperty({ description: 'Where to continue: always set, since the feed never ends. It may be past the last event shown when later events did not match the filter.', example: '1025' })
  nextCursor: string;
}

@InputType()
export class EventFilterInput {
  @Field(() => [String], { nullable: true, description: 'Exact names or `prefix.*`.' }) @IsOptional() @IsString({ each: true }) @MaxLength(100, { each: true }) types?: string[];
  @Field(() => ID, { nullable: true }) @IsOptional() @IsId() ticketId?: string;
}

@ArgsType()
export class EventsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'At most 500.' }) @IsOptional() @IsInt() @Min(1) @Max(500) first?: number;
  @Field(() => String, { nullable: true, description: 'A cursor of this feed; absent: from the oldest event kept.' }) @IsOptional() @IsString() @Matches(CURSOR, { message: CURSOR_MESSAGE }) after?: string;
  @Field(() => EventFilterInput, { nullable: true }) @IsOptional() @IsObject() @ValidateNested() @Type(() => EventFilterInput) filter?: EventFilterInput;
}

@ObjectType('Event')
export class EventNode {
  @Field(() => ID) id: string;
  @Field() type: string;
  @Field() createdAt: string;
  @Field(() => Int, { nullable: true, description: 'Ticket events: the place in the ticket\'s history.' }) sequence: number | null;
  @Field(() => GraphQLJSONObject) data: Record<string, unknown>;
}

@ObjectType()
export class EventEdge {
  @Field(() => EventNode) node: EventNode;
  @Field() cursor: string;
}

@ObjectType()
export class EventConnection {
  @Field(() => [EventEdge]) edges: EventEdge[];
  @Field(() => PageInfo, { description: 'endCursor is always set (the feed never ends); hasNextPage says whether more events exist now.' }) pageInfo: PageInfo;
}
