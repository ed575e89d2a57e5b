import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { IsBoundedJsonObject } from '../../common/dto/json-object.validator';
import { IsId, MAX_NAME, MAX_TEXT, NameString, Omittable, OptionalIds } from '../../common/dto/validators';
import { TicketSlaView } from './ticket-sla.dto';
import { ATTACHMENTS_PROPERTY, MAX_ATTACHMENT_IDS } from './message.dto';
import {
  TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TicketChannel, TicketPriority, TicketStatus, TicketType,
} from '../ticket-lifecycle';
import { MessageVisibility } from '../entities/ticket-message.entity';
import { MessageVisibilityEnum, TicketChannelEnum, TicketPriorityEnum, TicketStatusEnum, TicketTypeEnum } from './ticket-enums';

export const MAX_SUBJECT = 500;
export const MAX_TAGS = 50;
export const MAX_TAG = 64;
const CUSTOM_FIELDS_LIMITS = { maxKeys: 100 };

@InputType('RequesterInput')
export class RequesterInput {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', description: 'An existing contact. Give either id, or email (and name).' })
  @ValidateIf((o: RequesterInput) => o.email === undefined || o.id !== undefined) @IsId() id?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'email', maxLength: 320, description: 'Found case-insensitively, or created.' })
  @ValidateIf((o: RequesterInput) => o.id === undefined || o.email !== undefined) @IsEmail() @MaxLength(320) email?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_NAME }) @IsOptional() @NameString() name?: string;
}

@InputType('NewMessageInput')
export class FirstMessageInput {
  @Field() @ApiProperty({ maxLength: MAX_TEXT, description: 'Plain text; always present.' }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) body: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_TEXT * 4, description: 'Optional rich text; sanitised before storage.' })
  @IsOptional() @IsString() @MaxLength(MAX_TEXT * 4) html?: string;
  @Field(() => [ID], { nullable: true }) @ApiPropertyOptional(ATTACHMENTS_PROPERTY) @OptionalIds(MAX_ATTACHMENT_IDS)
  attachments?: string[];
}

@InputType()
export class CreateTicketInput {
  @Field() @ApiProperty({ maxLength: MAX_SUBJECT }) @IsString() @MinLength(1) @MaxLength(MAX_SUBJECT) subject: string;
  @Field(() => FirstMessageInput) @ApiProperty({ type: FirstMessageInput, description: "The requester's first message." })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => FirstMessageInput) message: FirstMessageInput;
  @Field(() => RequesterInput) @ApiProperty({ type: RequesterInput }) @IsDefined() @IsObject() @ValidateNested() @Type(() => RequesterInput) requester: RequesterInput;
  @Field(() => TicketPriorityEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'normal' }) @IsOptional() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @Field(() => TicketTypeEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_TYPES }) @IsOptional() @IsIn(TICKET_TYPES) type?: TicketType;
  @Field(() => TicketChannelEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_CHANNELS, default: 'api' }) @IsOptional() @IsIn(TICKET_CHANNELS) channel?: TicketChannel;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: MAX_TAG }, maxItems: MAX_TAGS, description: 'Normalised to lower case and deduplicated.' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(MAX_TAG, { each: true }) tags?: string[];
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() assigneeId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() teamId?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsBoundedJsonObject(CUSTOM_FIELDS_LIMITS) customFields?: Record<string, unknown>;
}

@InputType()
export class UpdateTicketInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_SUBJECT }) @Omittable() @IsString() @MinLength(1) @MaxLength(MAX_SUBJECT) subject?: string;
  @Field(() => TicketStatusEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_STATUSES }) @IsOptional() @IsIn(TICKET_STATUSES) status?: TicketStatus;
  @Field(() => TicketPriorityEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_PRIORITIES }) @Omittable() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @Field(() => TicketTypeEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_TYPES, nullable: true, type: String })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsIn(TICKET_TYPES) type?: TicketType | null;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: MAX_TAG }, maxItems: MAX_TAGS, description: 'Replaces the tag set.' })
  @Omittable() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(MAX_TAG, { each: true }) tags?: string[];
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null unassigns.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() assigneeId?: string | null;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null removes the team.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() teamId?: string | null;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'An organization of this workspace (422 otherwise); null removes it. New tickets take their requester\'s.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() organizationId?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true })
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Merged into the existing fields (JSON merge patch): a null value removes that key.' })
  @Omittable() @IsBoundedJsonObject(CUSTOM_FIELDS_LIMITS) customFields?: Record<string, unknown>;
}

export const MAX_MERGE_SOURCES = 20;

@InputType()
export class MergeTicketsInput {
  @Field(() => [ID]) @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: MAX_MERGE_SOURCES, description: 'The tickets merged into this one.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_MERGE_SOURCES) @IsUUID('all', { each: true, message: 'each value in $property must be a UUID' }) sourceIds: string[];
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_TEXT, description: 'Added to the internal notes the merge writes on the target and each source.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_TEXT) comment?: string;
}

@InputType()
export class AddCcByEmailInput {
  @Field() @ApiProperty({ format: 'email', maxLength: 320, description: 'Found case-insensitively among the contacts, or created.' }) @IsEmail() @MaxLength(320) email: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_NAME, description: 'The name of a contact created here.' }) @IsOptional() @NameString() name?: string;
}

@ObjectType('TicketFollower')
export class TicketFollowerView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
}

@ObjectType('TicketCc')
export class TicketCcView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class TicketRequesterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class TicketOwnerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

/** REST and GraphQL share the scalar fields; GraphQL resolves requester, assignee and team as full objects in batches. */
@ObjectType('Ticket')
export class TicketView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => Int) @ApiProperty({ description: 'Per-workspace, human-facing, never reused.' }) number: number;
  @Field() @ApiProperty() subject: string;
  @Field(() => TicketStatusEnum) @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @Field(() => TicketPriorityEnum) @ApiProperty({ enum: TICKET_PRIORITIES }) priority: TicketPriority;
  @Field(() => TicketTypeEnum, { nullable: true }) @ApiProperty({ enum: TICKET_TYPES, nullable: true, type: String }) type: TicketType | null;
  @Field(() => [String]) @ApiProperty({ type: [String] }) tags: string[];
  @Field(() => TicketChannelEnum) @ApiProperty({ enum: TICKET_CHANNELS }) channel: TicketChannel;
  @ApiProperty({ type: TicketRequesterView }) requester: TicketRequesterView;
  @ApiProperty({ type: TicketOwnerView, nullable: true }) assignee: TicketOwnerView | null;
  @ApiProperty({ type: TicketOwnerView, nullable: true }) team: TicketOwnerView | null;
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The requester\'s organization when the ticket was opened, unless changed since.' }) organizationId: string | null;
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The closed ticket this one follows up.' }) followUpOfId: string | null;
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Set on a ticket merged into another: the ticket it was merged into.' }) mergedIntoId: string | null;
  @Field(() => [TicketFollowerView]) @ApiProperty({ type: [TicketFollowerView], description: 'Agents following the ticket, in the order they started.' }) followers: TicketFollowerView[];
  @Field(() => [TicketCcView]) @ApiProperty({ type: [TicketCcView], description: 'Contacts copied on the ticket: Cc on public email replies, and they see it in the portal.' }) ccs: TicketCcView[];
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: true }) customFields: Record<string, unknown>;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) firstRespondedAt: Date | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) resolvedAt: Date | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
  @Field(() => Int) @ApiProperty({ description: 'Increments on every change; the ETag.' }) version: number;
  @Field(() => Int) @ApiProperty({ description: 'Messages in the conversation, public replies and internal notes alike.' }) messagesCount: number;
  @Field(() => TicketSlaView, { nullable: true }) @ApiProperty({ type: TicketSlaView, nullable: true, description: 'The SLA policy applied and its metrics; null when no target applies.' })
  sla: TicketSlaView | null;
}

export class TicketListView {
  @ApiProperty({ type: [TicketView] }) data: TicketView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export type { MessageVisibility };
export { MessageVisibilityEnum };
