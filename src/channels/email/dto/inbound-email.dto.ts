import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBase64, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsId } from '../../../common/dto/validators';

/** JSON form of an inbound email, for providers that cannot post raw MIME. Bounded by the JSON body limit. */
export class InboundEmailInput {
  @ApiProperty({ description: 'The complete RFC 5322 message, base64-encoded.', format: 'byte', maxLength: 2 * 1024 * 1024 })
  @IsString() @MinLength(1) @MaxLength(2 * 1024 * 1024) @IsBase64() raw: string;
}

export class InboundEmailQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'The mailbox it arrived at; by default the first recipient that is one of your mailboxes.' })
  @IsOptional() @IsId() mailboxId?: string;
}

const OUTCOMES = ['created', 'appended', 'duplicate', 'suppressed'] as const;

export class InboundEmailResultView {
  @ApiProperty({ enum: OUTCOMES, description: 'created a ticket, appended to one, duplicate of an email already stored, or suppressed (auto-reply, bounce, own address).' })
  @IsIn(OUTCOMES) outcome: (typeof OUTCOMES)[number];
  @ApiPropertyOptional({ format: 'uuid' }) ticketId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) messageId?: string;
  @ApiPropertyOptional({ description: 'Why the email was suppressed.' }) reason?: string;
  @ApiPropertyOptional({ type: [String], description: 'Attachments over MAIL_MAX_ATTACHMENT_BYTES, kept only in the original email.' }) skippedAttachments?: string[];
}
