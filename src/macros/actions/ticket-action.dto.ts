import { Field, Float, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf,
} from 'class-validator';
import { GraphQLJSON } from 'graphql-type-json';
import { IsId, MAX_TEXT, OptionalIds } from '../../common/dto/validators';
import { ATTACHMENTS_PROPERTY, MAX_ATTACHMENT_IDS } from '../../tickets/dto/message.dto';
import { MAX_TAG, MAX_TAGS } from '../../tickets/dto/ticket.dto';
import { TicketPriorityEnum, TicketStatusEnum, TicketTypeEnum } from '../../tickets/dto/ticket-enums';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TicketPriority, TicketStatus, TicketType } from '../../tickets/ticket-lifecycle';

export const TICKET_ACTION_TYPES = [
  'set_status', 'set_priority', 'set_type', 'set_team', 'set_assignee', 'add_tags', 'remove_tags', 'set_custom_field', 'add_reply', 'add_note',
  'apply_suggestions',
] as const;
export type TicketActionType = (typeof TICKET_ACTION_TYPES)[number];
export const TicketActionTypeEnum = Object.fromEntries(TICKET_ACTION_TYPES.map((type) => [type, type])) as Record<TicketActionType, TicketActionType>;
registerEnumType(TicketActionTypeEnum, { name: 'TicketActionType' });

export const MAX_ACTIONS = 50;

/**
 * One step of a macro or rule: `{type, ...}` with the fields its type needs (checked by validateActions).
 * `set_type` names the ticket type in `ticketType`, since `type` is the action's own kind.
 */
@ObjectType('TicketAction')
@InputType('TicketActionInput')
export class TicketAction {
  @Field(() => TicketActionTypeEnum) @ApiProperty({ enum: TICKET_ACTION_TYPES, description: 'apply_suggestions is for automation rules only.' })
  @IsIn(TICKET_ACTION_TYPES) type: TicketActionType;

  @Field(() => TicketStatusEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_STATUSES, description: 'set_status' })
  @IsOptional() @IsIn(TICKET_STATUSES) status?: TicketStatus;

  @Field(() => TicketPriorityEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_PRIORITIES, description: 'set_priority' })
  @IsOptional() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;

  @Field(() => TicketTypeEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_TYPES, description: 'set_type' })
  @IsOptional() @IsIn(TICKET_TYPES) ticketType?: TicketType;

  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: "set_team: routes through the team's strategy; null removes the team." })
  @ValidateIf((_, value) => value !== undefined && value !== null) @IsId() teamId?: string | null;

  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'set_assignee: null unassigns.' })
  @ValidateIf((_, value) => value !== undefined && value !== null) @IsId() agentId?: string | null;

  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: MAX_TAG }, maxItems: MAX_TAGS, description: 'add_tags, remove_tags' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(MAX_TAG, { each: true }) tags?: string[];

  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 100, description: 'set_custom_field' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) key?: string;

  @Field(() => GraphQLJSON, { nullable: true }) @ApiPropertyOptional({ description: 'set_custom_field: any JSON value up to 4 KiB; null removes the field.', oneOf: [{ type: 'string', maxLength: 4096 }, { type: 'number' }, { type: 'boolean' }, { type: 'array', maxItems: 4096, items: {} }, { type: 'object', additionalProperties: true }, { type: 'null' }] })
  @Allow() value?: unknown;

  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_TEXT, description: 'add_reply, add_note: a template with {{placeholders}}.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_TEXT) body?: string;

  @Field(() => [ID], { nullable: true })
  @ApiPropertyOptional({ ...ATTACHMENTS_PROPERTY, description: 'add_reply, add_note (macros only): uploads (POST /v1/uploads) of the macro\'s author, sent with every application.' })
  @OptionalIds(MAX_ATTACHMENT_IDS) attachments?: string[];

  @Field(() => Float, { nullable: true }) @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'apply_suggestions: only predictions at least this confident are applied.' })
  @IsOptional() @IsNumber() @Min(0) @Max(1) minConfidence?: number;
}
