import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageInfo } from '../../common/dto/page-info.dto';
import { EVENT_TYPES } from '../../events/event-catalogue';
import { MAX_URL_LENGTH } from '../endpoint-policy/endpoint-url';
import { WebhookDisabledReason } from '../entities/webhook-subscription.entity';

export const MAX_EVENT_FILTERS = 50;
const MAX_DESCRIPTION = 500;
const DISABLED_REASONS: WebhookDisabledReason[] = ['manual', 'gone', 'failing'];
export const WebhookDisabledReasonEnum = { manual: 'manual', gone: 'gone', failing: 'failing' } as const;
registerEnumType(WebhookDisabledReasonEnum, {
  name: 'WebhookDisabledReason',
  description: 'manual: turned off through the API; gone: the endpoint answered 410; failing: it failed without a success for the configured span.',
});

const EVENTS_DOC = {
  type: 'array' as const,
  items: { type: 'string' as const, enum: ['*', ...EVENT_TYPES], maxLength: 100 },
  minItems: 1,
  maxItems: MAX_EVENT_FILTERS,
  example: ['ticket.created', 'ticket.status_changed'],
  description: `Event types to receive, or ["*"] for all of them. Known types: ${EVENT_TYPES.join(', ')}.`,
};
const URL_DOC = { maxLength: MAX_URL_LENGTH, example: 'https://example.com/deskline/webhooks', description: 'Receives a POST per event. Redirects are not followed.' };

@InputType()
export class CreateWebhookInput {
  @Field() @ApiProperty(URL_DOC) @IsString() @MinLength(1) @MaxLength(MAX_URL_LENGTH) url: string;
  @Field(() => [String]) @ApiProperty(EVENTS_DOC)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_EVENT_FILTERS) @IsString({ each: true }) @MaxLength(100, { each: true }) events: string[];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, nullable: true, type: String })
  @IsOptional() @IsString() @MaxLength(MAX_DESCRIPTION) description?: string | null;
  @Field(() => Boolean, { nullable: true }) @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

@InputType()
export class UpdateWebhookInput {
  // Not @IsOptional for these: it would let an explicit null through, and a webhook always has a URL and events.
  @Field({ nullable: true }) @ApiPropertyOptional(URL_DOC) @ValidateIf((_, value) => value !== undefined) @IsString() @MinLength(1) @MaxLength(MAX_URL_LENGTH) url?: string;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional(EVENTS_DOC)
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_EVENT_FILTERS) @IsString({ each: true }) @MaxLength(100, { each: true }) events?: string[];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, nullable: true, type: String, description: 'null clears it.' })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsString() @MaxLength(MAX_DESCRIPTION) description?: string | null;
  @Field(() => Boolean, { nullable: true }) @ApiPropertyOptional({ description: 'Enabling clears the failure record; pending deliveries resume.' })
  @ValidateIf((_, value) => value !== undefined) @IsBoolean() enabled?: boolean;
}

@ObjectType('Webhook')
export class WebhookView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() url: string;
  @Field(() => [String]) @ApiProperty({ type: 'array', items: { type: 'string', enum: ['*', ...EVENT_TYPES] } }) events: string[];
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) description: string | null;
  @Field() @ApiProperty() enabled: boolean;
  @Field(() => WebhookDisabledReasonEnum, { nullable: true }) @ApiProperty({ enum: DISABLED_REASONS, nullable: true }) disabledReason: WebhookDisabledReason | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) disabledAt: Date | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true, description: 'Since when deliveries have failed without a success; null when healthy.' })
  failingSince: Date | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true, description: 'After a rotation, the old secret keeps signing (next to the new one) until this time.' })
  previousSecretExpiresAt: Date | null;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

@ObjectType('WebhookWithSecret')
export class WebhookWithSecretView extends WebhookView {
  @Field() @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret. Shown only in this response; store it now.' })
  secret: string;
}

export class WebhookListView {
  @ApiProperty({ type: [WebhookView] }) data: WebhookView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ObjectType()
export class WebhookEdge {
  @Field(() => WebhookView) node: WebhookView;
  @Field() cursor: string;
}

@ObjectType()
export class WebhookConnection {
  @Field(() => [WebhookEdge]) edges: WebhookEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}
