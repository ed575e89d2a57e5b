import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsBoundedJsonObject } from '../../../common/dto/json-object.validator';
import { PageQuery } from '../../../common/dto/list-query.dto';
import { IsId, MAX_TEXT, OptionalIds } from '../../../common/dto/validators';
import { ATTACHMENTS_PROPERTY, MAX_ATTACHMENT_IDS } from '../../../tickets/dto/message.dto';
import { MAX_QUERY_LENGTH } from '../../../search/search-query';
import { MAX_SUBJECT } from '../../../tickets/dto/ticket.dto';

const CUSTOM_FIELDS_LIMITS = { maxKeys: 100 };

export class MintPortalTokenInput {
  @ApiProperty({ format: 'uuid', description: 'The contact the token acts as; it sees and acts on its own tickets only.' }) @IsId() contactId: string;
}

export class PortalTokenView {
  @ApiProperty({ description: 'Send as "Authorization: Bearer <token>" to /v1/portal/tickets routes.' }) token: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires (PORTAL_TOKEN_TTL_SECONDS).' }) expiresIn: number;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ format: 'uuid' }) contactId: string;
}

export class PortalSecretStatusView {
  @ApiProperty({ description: 'Whether integrators can sign their own portal tokens for this workspace.' }) configured: boolean;
  @ApiProperty({ type: Date, nullable: true, description: 'When the secret was last set, rotated or removed.' }) updatedAt: Date | null;
}

export class PortalSecretView {
  @ApiProperty({ description: 'Shown in this response only; stored encrypted. Sign HS256 JWTs with it (the UTF-8 bytes of this string).' }) secret: string;
  @ApiProperty({ enum: ['HS256'] }) algorithm: 'HS256';
  @ApiProperty({ example: 'deskline-portal', description: 'The aud claim every portal token must carry.' }) audience: string;
  @ApiProperty({ format: 'uuid', description: 'The wid claim that names this workspace.' }) workspaceId: string;
  @ApiProperty({ description: 'Longest lifetime (exp minus now) a signed token may have, in seconds.' }) maxTokenLifetimeSeconds: number;
  @ApiProperty() createdAt: Date;
}

export class PortalMessageInput {
  @ApiProperty({ maxLength: MAX_TEXT, description: 'Plain text; always present.' }) @IsString() @MinLength(1) @MaxLength(MAX_TEXT) body: string;
  @ApiPropertyOptional({ maxLength: MAX_TEXT * 4, description: 'Optional rich text; sanitised before storage.' })
  @IsOptional() @IsString() @MaxLength(MAX_TEXT * 4) html?: string;
  @ApiPropertyOptional({ ...ATTACHMENTS_PROPERTY, description: 'Ids from POST /v1/portal/uploads, uploaded by this requester (422 otherwise).' })
  @OptionalIds(MAX_ATTACHMENT_IDS) attachments?: string[];
}

export class PortalCreateTicketInput {
  @ApiProperty({ maxLength: MAX_SUBJECT }) @IsString() @MinLength(1) @MaxLength(MAX_SUBJECT) subject: string;
  @ApiProperty({ type: PortalMessageInput, description: 'The first message of the request.' })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PortalMessageInput) message: PortalMessageInput;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Values of ticket custom fields marked editableByRequesters; any other key answers 422 naming customFields.<key>.' })
  @IsOptional() @IsBoundedJsonObject(CUSTOM_FIELDS_LIMITS) customFields?: Record<string, unknown>;
}

/** What a requester is told about where their request stands; on_hold (waiting on a third party) reads as open. */
export const PORTAL_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type PortalTicketStatus = (typeof PORTAL_STATUSES)[number];

const commaList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);

export class PortalListTicketsQuery extends PageQuery {
  @ApiPropertyOptional({ type: [String], enum: PORTAL_STATUSES, maxItems: 5, description: 'One or more, comma-separated or repeated.' })
  @IsOptional() @Transform(commaList) @IsArray() @ArrayMaxSize(5) @IsIn(PORTAL_STATUSES, { each: true }) status?: PortalTicketStatus[];
}

export class PortalAssigneeView {
  @ApiProperty() name: string;
}

/** The requester's view of a ticket: no SLA, tags, priority, team, custom fields or agent ids. */
export class PortalTicketView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The reference to quote to support.' }) number: number;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: PORTAL_STATUSES }) status: PortalTicketStatus;
  @ApiProperty({ type: PortalAssigneeView, nullable: true, description: 'Who is working on it, by name.' }) assignee: PortalAssigneeView | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The closed ticket this one follows up.' }) followUpOfId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) resolvedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Only the ticket custom fields marked visibleToRequesters.' }) customFields: Record<string, unknown>;
}

export class PortalTicketListView {
  @ApiProperty({ type: [PortalTicketView] }) data: PortalTicketView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PortalMessageAuthorView {
  @ApiProperty({ enum: ['requester', 'support'], description: 'requester: the contact; support: an agent or the helpdesk.' }) side: 'requester' | 'support';
  @ApiProperty({ type: String, nullable: true, description: "The agent's or requester's name; null for automated replies." }) name: string | null;
}

export class PortalAttachmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty({ description: 'Bytes.' }) size: number;
  @ApiProperty({ description: 'Shown inside the HTML body (cid:) rather than as a separate file.' }) inline: boolean;
}

/** Public messages only; internal notes never reach the portal. */
export class PortalMessageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, nullable: true }) html: string | null;
  @ApiProperty({ type: PortalMessageAuthorView }) author: PortalMessageAuthorView;
  @ApiProperty({ type: [PortalAttachmentView], description: 'Download each at /v1/portal/tickets/:id/messages/:messageId/attachments/:attachmentId.' })
  attachments: PortalAttachmentView[];
  @ApiProperty() createdAt: Date;
}

export class PortalMessageListView {
  @ApiProperty({ type: [PortalMessageView] }) data: PortalMessageView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PortalPostedMessageView {
  @ApiProperty({ type: PortalMessageView }) message: PortalMessageView;
  @ApiProperty({ type: PortalTicketView, description: 'The ticket the message landed on: the same one (reopened if it was waiting or resolved), or a new follow-up when it was closed.' })
  ticket: PortalTicketView;
}

export class PortalSearchQuery extends PageQuery {
  @ApiProperty({ maxLength: MAX_QUERY_LENGTH, description: 'Words ("exact phrase", or, -excluded), #1234 for a ticket number, created>YYYY-MM-DD; other qualifiers are for agents.' })
  @IsString() @MinLength(1) @MaxLength(MAX_QUERY_LENGTH) q: string;
}

export class PortalSearchHighlightsView {
  @ApiProperty({ type: String, nullable: true, description: 'The subject, HTML-escaped, with matches in <mark>.' }) subject: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Fragments of the best-matching public message, HTML-escaped, with matches in <mark>.' }) body: string | null;
}

export class PortalSearchHitView {
  @ApiProperty({ type: PortalTicketView }) ticket: PortalTicketView;
  @ApiProperty({ type: PortalSearchHighlightsView }) highlights: PortalSearchHighlightsView;
}

export class PortalSearchResultsView {
  @ApiProperty({ type: [PortalSearchHitView] }) data: PortalSearchHitView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
