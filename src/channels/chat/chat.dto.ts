import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsISO8601, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsBoundedJsonObject } from '../../common/dto/json-object.validator';
import { IsId, MAX_TEXT, NameString } from '../../common/dto/validators';

const MAX_REF = 255;
const MAX_MESSAGES = 500;
const AUTHORS = ['visitor', 'agent'] as const;

export class ChatPersonInput {
  @ApiPropertyOptional({ format: 'email', maxLength: 320 }) @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @NameString() name?: string;
  @ApiPropertyOptional({ maxLength: MAX_REF }) @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_REF) externalId?: string;
}

export class VisitorInput {
  @ApiProperty({ format: 'email', maxLength: 320, description: 'The requester is found or created by this address.' }) @IsEmail() @MaxLength(320) email: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @NameString() name?: string;
  @ApiPropertyOptional({ maxLength: MAX_REF }) @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_REF) externalId?: string;
}

export class TranscriptMessageInput {
  @ApiProperty({ enum: AUTHORS }) @IsIn(AUTHORS) author: (typeof AUTHORS)[number];
  @ApiPropertyOptional({ format: 'uuid', description: 'Required when author is agent: an agent of this workspace.' })
  @ValidateIf((message) => message.author === 'agent') @IsId() agentId?: string;
  @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) body: string;
  @ApiProperty({ format: 'date-time', maxLength: 40 }) @MaxLength(40) @IsISO8601({ strict: true }) sentAt: string;
}

export class ChatTranscriptInput {
  @ApiProperty({ maxLength: MAX_REF, description: 'Your chat system id; a transcript is stored once.' }) @IsString() @MinLength(1) @MaxLength(MAX_REF) transcriptId: string;
  @ApiProperty({ type: VisitorInput }) @IsDefined() @IsObject() @ValidateNested() @Type(() => VisitorInput) visitor: VisitorInput;
  @ApiProperty({ format: 'date-time', maxLength: 40 }) @MaxLength(40) @IsISO8601({ strict: true }) startedAt: string;
  @ApiPropertyOptional({ format: 'date-time', maxLength: 40 }) @IsOptional() @MaxLength(40) @IsISO8601({ strict: true }) endedAt?: string;
  @ApiProperty({ type: [TranscriptMessageInput], minItems: 1, maxItems: MAX_MESSAGES, description: 'In order; the first visitor message opens the ticket.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_MESSAGES) @ValidateNested({ each: true }) @Type(() => TranscriptMessageInput) messages: TranscriptMessageInput[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'At most 50 keys and 16 KiB.' })
  @IsOptional() @IsBoundedJsonObject({ maxKeys: 50 }) metadata?: Record<string, unknown>;
}

export class ChatMessageInput {
  @ApiProperty({ maxLength: 50, example: 'slack' }) @IsString() @MinLength(1) @MaxLength(50) platform: string;
  @ApiProperty({ maxLength: MAX_REF }) @IsString() @MinLength(1) @MaxLength(MAX_REF) channelId: string;
  @ApiPropertyOptional({ maxLength: MAX_REF }) @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_REF) threadId?: string;
  @ApiProperty({ maxLength: MAX_REF }) @IsString() @MinLength(1) @MaxLength(MAX_REF) messageId: string;
  @ApiProperty({ type: ChatPersonInput }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ChatPersonInput) author: ChatPersonInput;
  @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) text: string;
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsString() @MaxLength(2048) permalink?: string;
}

export class ConvertChatMessageInput {
  @ApiProperty({ type: ChatMessageInput }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ChatMessageInput) chatMessage: ChatMessageInput;
  @ApiPropertyOptional({ maxLength: 500, description: 'Defaults to the start of the text.' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) subject?: string;
}

export class ThreadMessageInput {
  @ApiProperty({ maxLength: 50 }) @IsString() @MinLength(1) @MaxLength(50) platform: string;
  @ApiProperty({ maxLength: MAX_REF }) @IsString() @MinLength(1) @MaxLength(MAX_REF) channelId: string;
  @ApiProperty({ maxLength: MAX_REF }) @IsString() @MinLength(1) @MaxLength(MAX_REF) threadId: string;
  @ApiProperty({ maxLength: MAX_REF }) @IsString() @MinLength(1) @MaxLength(MAX_REF) messageId: string;
  @ApiProperty({ type: ChatPersonInput }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ChatPersonInput) author: ChatPersonInput;
  @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) text: string;
}

export class CreateEscalationInput {
  @ApiProperty({ maxLength: 50 }) @IsString() @MinLength(1) @MaxLength(50) platform: string;
  @ApiProperty({ maxLength: MAX_REF }) @IsString() @MinLength(1) @MaxLength(MAX_REF) channelId: string;
}

export class UpdateEscalationInput {
  @ApiProperty({ maxLength: MAX_REF, description: 'The thread the integration opened for this escalation.' }) @IsString() @MinLength(1) @MaxLength(MAX_REF) threadId: string;
}

export class ChatIntakeResultView {
  @ApiProperty({ enum: ['created', 'duplicate'] }) outcome: 'created' | 'duplicate';
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ format: 'uuid' }) messageId: string;
}

export class EscalationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty() platform: string;
  @ApiProperty() channelId: string;
  @ApiProperty({ type: String, nullable: true }) threadId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
