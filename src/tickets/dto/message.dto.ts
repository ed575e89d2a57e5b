import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../common/dto/list-query.dto';
import { IsId, MAX_TEXT, OptionalIds } from '../../common/dto/validators';
import { AuthorType, MessageVisibility } from '../entities/ticket-message.entity';
import { AuthorTypeEnum, MessageVisibilityEnum } from './ticket-enums';

const VISIBILITIES: MessageVisibility[] = ['public', 'internal'];

/** The DTO bound; the configured UPLOAD_MAX_FILES_PER_MESSAGE (default 10) is checked when the files are attached. */
export const MAX_ATTACHMENT_IDS = 100;
export const ATTACHMENTS_PROPERTY = {
  type: 'array',
  items: { type: 'string', format: 'uuid' },
  maxItems: MAX_ATTACHMENT_IDS,
  description:
    'Ids from POST /v1/uploads, sent by the same caller in this workspace (422 otherwise). At most UPLOAD_MAX_FILES_PER_MESSAGE files (default 10) and ' +
    'UPLOAD_MAX_MESSAGE_BYTES together (422 naming the limit). Email replies carry them as attachments.',
} as const;

@InputType()
export class AddMessageInput {
  @Field() @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) body: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_TEXT * 4, description: 'Sanitised: scripts, styles and event handlers are removed.' })
  @IsOptional() @IsString() @MaxLength(MAX_TEXT * 4) html?: string;
  @Field(() => MessageVisibilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: VISIBILITIES, default: 'public', description: 'internal = a note only agents see.' })
  @IsOptional() @IsIn(VISIBILITIES) visibility?: MessageVisibility;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', description: "Admin only: post as the ticket's requester (for example from your own portal)." })
  @IsOptional() @IsId() authorContactId?: string;
  @Field(() => [ID], { nullable: true }) @ApiPropertyOptional(ATTACHMENTS_PROPERTY) @OptionalIds(MAX_ATTACHMENT_IDS)
  attachments?: string[];
}

@ObjectType('MessageAuthor')
export class MessageAuthorView {
  @Field(() => AuthorTypeEnum) @ApiProperty({ enum: ['agent', 'contact', 'system'] }) type: AuthorType;
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) name: string | null;
}

const DELIVERY_STATES = ['queued', 'sent', 'failed'] as const;
export type MessageDeliveryState = (typeof DELIVERY_STATES)[number];

@ObjectType('MessageAttachment')
export class MessageAttachmentView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => String) @ApiProperty() fileName: string;
  @Field(() => String) @ApiProperty() contentType: string;
  @Field(() => Int) @ApiProperty({ description: 'Bytes.' }) size: number;
  @Field(() => Boolean) @ApiProperty({ description: 'Shown inside the HTML body (cid:) rather than as a separate file.' }) inline: boolean;
}

@ObjectType('MessageDelivery')
export class MessageDeliveryView {
  @Field(() => String) @ApiProperty({ enum: ['email'], description: 'The channel the message was sent through.' }) channel: 'email';
  @Field(() => String) @ApiProperty({ enum: DELIVERY_STATES }) state: MessageDeliveryState;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed.' }) error: string | null;
  @Field(() => Int) @ApiProperty() attempts: number;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) sentAt: Date | null;
}

@ObjectType('MessageMergedFrom')
export class MessageMergedFromView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) ticketId: string;
  @Field(() => Int) @ApiProperty() number: number;
}

@ObjectType('Message')
export class MessageView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) ticketId: string;
  @Field(() => Int) @ApiProperty({ description: 'Position in the conversation, from 1.' }) sequence: number;
  @Field() @ApiProperty() body: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) html: string | null;
  @Field(() => MessageVisibilityEnum) @ApiProperty({ enum: VISIBILITIES }) visibility: MessageVisibility;
  @Field(() => MessageAuthorView) @ApiProperty({ type: MessageAuthorView }) author: MessageAuthorView;
  @Field() @ApiProperty() createdAt: Date;
  @Field(() => [MessageAttachmentView]) @ApiProperty({ type: [MessageAttachmentView], description: 'Download each at …/messages/:messageId/attachments/:attachmentId.' })
  attachments: MessageAttachmentView[];
  @Field(() => MessageDeliveryView, { nullable: true })
  @ApiProperty({ type: MessageDeliveryView, nullable: true, description: 'For replies sent out through a channel (email): queued, sent or failed.' })
  delivery: MessageDeliveryView | null;
  @Field(() => MessageMergedFromView, { nullable: true })
  @ApiProperty({ type: MessageMergedFromView, nullable: true, description: 'On a copy a merge brought in: the ticket (and its number) the message was merged from.' })
  mergedFrom: MessageMergedFromView | null;
}

export class MessageListView {
  @ApiProperty({ type: [MessageView] }) data: MessageView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListMessagesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: VISIBILITIES }) @IsOptional() @IsIn(VISIBILITIES) visibility?: MessageVisibility;
}
