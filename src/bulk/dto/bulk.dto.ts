import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { IsBoundedJsonObject } from '../../common/dto/json-object.validator';
import { IsId, Omittable } from '../../common/dto/validators';
import { MAX_TAG, MAX_TAGS } from '../../tickets/dto/ticket.dto';
import { TicketPriorityEnum, TicketStatusEnum, TicketTypeEnum } from '../../tickets/dto/ticket-enums';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TicketPriority, TicketStatus, TicketType } from '../../tickets/ticket-lifecycle';

/** At most this many tickets in one bulk call. */
export const MAX_BULK_TICKETS = 100;

const TAGS = { type: 'array', items: { type: 'string', maxLength: MAX_TAG }, maxItems: MAX_TAGS } as const;

@InputType('BulkTicketChangesInput')
export class BulkTicketChangesInput {
  @Field(() => TicketStatusEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_STATUSES }) @Omittable() @IsIn(TICKET_STATUSES) status?: TicketStatus;
  @Field(() => TicketPriorityEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_PRIORITIES }) @Omittable() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @Field(() => TicketTypeEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_TYPES, nullable: true, type: String, description: 'null removes the type.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsIn(TICKET_TYPES) type?: TicketType | null;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null unassigns.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() assigneeId?: string | null;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null removes the team.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() teamId?: string | null;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ ...TAGS, description: 'Added to each ticket\'s tags (normalised to lower case).' })
  @Omittable() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(MAX_TAG, { each: true }) addTags?: string[];
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ ...TAGS, description: 'Removed from each ticket\'s tags.' })
  @Omittable() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(MAX_TAG, { each: true }) removeTags?: string[];
  @Field(() => GraphQLJSONObject, { nullable: true })
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Merged into each ticket\'s fields (JSON merge patch): a null value removes that key.' })
  @Omittable() @IsBoundedJsonObject({ maxKeys: 100 }) customFields?: Record<string, unknown>;
}

@InputType('BulkUpdateTicketsInput')
export class BulkUpdateTicketsInput {
  @Field(() => [ID]) @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BULK_TICKETS, uniqueItems: true, description: 'The tickets to change, each once; answered in this order.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_TICKETS) @ArrayUnique() @IsUUID('all', { each: true, message: 'each id must be a UUID' }) ids: string[];
  @Field(() => BulkTicketChangesInput, { nullable: true }) @ApiPropertyOptional({ type: BulkTicketChangesInput, description: 'The same change for every ticket. Give changes or macroId, not both.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BulkTicketChangesInput) changes?: BulkTicketChangesInput;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', description: 'A macro the caller can see, applied to every ticket (templates rendered per ticket).' })
  @IsOptional() @IsId() macroId?: string;
}

export const BULK_OUTCOMES = ['updated', 'unchanged', 'failed'] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];
export const BulkOutcomeEnum = { updated: 'updated', unchanged: 'unchanged', failed: 'failed' } as const;
registerEnumType(BulkOutcomeEnum, { name: 'BulkOutcome' });

@ObjectType('BulkTicketProblem')
export class BulkTicketProblemView {
  @Field(() => Int) @ApiProperty({ description: 'The status a single change of this ticket would have answered: 404, 409, 412 or 422.' }) status: number;
  @Field() @ApiProperty({ description: 'The problem code, as the type of a problem+json answer ends (e.g. not_found, ticket_closed, invalid_transition).' }) code: string;
  @Field() @ApiProperty() detail: string;
}

@ObjectType('BulkTicketResult')
export class BulkTicketResultView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => BulkOutcomeEnum) @ApiProperty({ enum: BULK_OUTCOMES, description: 'updated: changed in its own transaction; unchanged: already as asked; failed: see problem, nothing written.' }) outcome: BulkOutcome;
  @Field(() => Int, { nullable: true }) @ApiProperty({ type: Number, nullable: true, description: 'The ticket\'s version after the call; null when it failed.' }) version: number | null;
  @Field(() => BulkTicketProblemView, { nullable: true }) @ApiProperty({ type: BulkTicketProblemView, nullable: true }) problem: BulkTicketProblemView | null;
}

@ObjectType('BulkUpdateResult')
export class BulkUpdateView {
  @Field(() => [BulkTicketResultView]) @ApiProperty({ type: [BulkTicketResultView], description: 'One entry per id, in the order sent.' }) results: BulkTicketResultView[];
  @Field(() => Int) @ApiProperty() updated: number;
  @Field(() => Int) @ApiProperty() unchanged: number;
  @Field(() => Int) @ApiProperty() failed: number;
}
