import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsId, NameString } from '../../../common/dto/validators';

const MAX_HOST = 253;
const MAX_USER = 320;
const MAX_PASSWORD = 1024;

export class MailServerInput {
  @ApiProperty({ maxLength: MAX_HOST, example: 'imap.example.com' }) @IsString() @MinLength(1) @MaxLength(MAX_HOST) host: string;
  @ApiProperty({ minimum: 1, maximum: 65535, example: 993 }) @IsInt() @Min(1) @Max(65535) port: number;
  @ApiProperty({ description: 'TLS from the first byte (993/465); false uses STARTTLS when the server offers it.' }) @IsBoolean() secure: boolean;
  @ApiProperty({ maxLength: MAX_USER }) @IsString() @MinLength(1) @MaxLength(MAX_USER) user: string;
  @ApiProperty({ maxLength: MAX_PASSWORD, writeOnly: true, description: 'Encrypted at rest; never returned.' })
  @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD) password: string;
}

/** Like MailServerInput, but an omitted password keeps the stored one. */
export class MailServerPatch {
  @ApiProperty({ maxLength: MAX_HOST }) @IsString() @MinLength(1) @MaxLength(MAX_HOST) host: string;
  @ApiProperty({ minimum: 1, maximum: 65535 }) @IsInt() @Min(1) @Max(65535) port: number;
  @ApiProperty() @IsBoolean() secure: boolean;
  @ApiProperty({ maxLength: MAX_USER }) @IsString() @MinLength(1) @MaxLength(MAX_USER) user: string;
  @ApiPropertyOptional({ maxLength: MAX_PASSWORD, writeOnly: true, description: 'Omit to keep the stored password.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD) password?: string;
}

export class CreateMailboxInput {
  @ApiProperty({ format: 'email', maxLength: MAX_USER, description: 'Unique in the workspace. Mail to it becomes tickets; replies are sent from it.' })
  @IsEmail() @MaxLength(MAX_USER) address: string;
  @ApiProperty({ maxLength: 200, description: 'Display name on outgoing mail.' }) @NameString() name: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'New tickets from this mailbox go to this team.' })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsId() teamId?: string | null;
  @ApiPropertyOptional({ type: MailServerInput, nullable: true }) @IsOptional() @ValidateIf((_, value) => value !== null)
  @IsObject() @ValidateNested() @Type(() => MailServerInput) imap?: MailServerInput | null;
  @ApiPropertyOptional({ type: MailServerInput, nullable: true }) @IsOptional() @ValidateIf((_, value) => value !== null)
  @IsObject() @ValidateNested() @Type(() => MailServerInput) smtp?: MailServerInput | null;
}

/** Absent fields stay; null removes imap, smtp or the team. */
export class UpdateMailboxInput {
  @ApiPropertyOptional({ format: 'email', maxLength: MAX_USER }) @IsOptional() @IsEmail() @MaxLength(MAX_USER) address?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @NameString() name?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsId() teamId?: string | null;
  @ApiPropertyOptional({ type: MailServerPatch, nullable: true }) @IsOptional() @ValidateIf((_, value) => value !== null)
  @IsObject() @ValidateNested() @Type(() => MailServerPatch) imap?: MailServerPatch | null;
  @ApiPropertyOptional({ type: MailServerPatch, nullable: true }) @IsOptional() @ValidateIf((_, value) => value !== null)
  @IsObject() @ValidateNested() @Type(() => MailServerPatch) smtp?: MailServerPatch | null;
}

export class MailServerView {
  @ApiProperty() host: string;
  @ApiProperty() port: number;
  @ApiProperty() secure: boolean;
  @ApiProperty() user: string;
  @ApiProperty({ description: 'Always true: a password is stored (it is never returned).' }) passwordSet: boolean;
}

export class ImapStateView {
  @ApiProperty({ type: Number, nullable: true, description: 'The highest UID fetched from INBOX.' }) lastUid: number | null;
  @ApiProperty({ type: Date, nullable: true }) lastPolledAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last poll failed, or which messages it rejected (over a MIME limit, no usable From) and why; null when all went well. Never says what answered at a refused address: none is connected to.' }) lastError: string | null;
}

export class MailboxView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) address: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) teamId: string | null;
  @ApiProperty({ type: MailServerView, nullable: true }) imap: MailServerView | null;
  @ApiProperty({ type: ImapStateView }) imapState: ImapStateView;
  @ApiProperty({ type: MailServerView, nullable: true }) smtp: MailServerView | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class MailboxListView {
  @ApiProperty({ type: [MailboxView] }) data: MailboxView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
