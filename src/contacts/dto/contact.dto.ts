import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { IsBoundedJsonObject } from '../../common/dto/json-object.validator';
import { PageQuery } from '../../common/dto/list-query.dto';
import { PageInfo } from '../../common/dto/page-info.dto';
import { IsId, NameString, Omittable } from '../../common/dto/validators';

export const METADATA_LIMITS = { maxKeys: 50 };
const METADATA_DOC = { type: 'object', additionalProperties: true, description: 'Your own data: a JSON object of at most 50 keys and 16 KiB.' } as const;
const CUSTOM_FIELDS_DOC = { type: 'object', additionalProperties: true, description: 'Values of the contact custom fields (GET /v1/fields/contact), checked against their definitions (422 naming customFields.<key>).' } as const;
const MAX_EMAIL = 320;
const MAX_PHONE = 50;
const MAX_EXTERNAL_ID = 255;
const ID_OR_NONE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|none)$/i;
const ID_OR_NONE_PATTERN = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|none)$';

@InputType()
export class CreateContactInput {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @NameString() name?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ format: 'email', maxLength: MAX_EMAIL, description: 'Unique in the workspace, compared case-insensitively.' })
  @IsOptional() @IsEmail() @MaxLength(MAX_EMAIL) email?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_PHONE }) @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_PHONE) phone?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID, description: 'Your system\'s id for this person; unique in the workspace.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_EXTERNAL_ID) externalId?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional(METADATA_DOC) @IsOptional() @IsBoundedJsonObject(METADATA_LIMITS) metadata?: Record<string, unknown>;
  @Field(() => ID, { nullable: true })
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'An organization of this workspace (422 otherwise). Absent: the organization owning the email\'s domain, if any; null: none.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() organizationId?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional(CUSTOM_FIELDS_DOC) @IsOptional() @IsBoundedJsonObject(METADATA_LIMITS) customFields?: Record<string, unknown>;
}

/** Absent fields stay as they are; `null` clears one (metadata back to `{}`). */
@InputType()
export class UpdateContactInput {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String }) @IsOptional() @NameString() name?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ format: 'email', maxLength: MAX_EMAIL, nullable: true, type: String })
  @IsOptional() @IsEmail() @MaxLength(MAX_EMAIL) email?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_PHONE, nullable: true, type: String })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_PHONE) phone?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID, nullable: true, type: String })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_EXTERNAL_ID) externalId?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional({ ...METADATA_DOC, nullable: true, description: 'Replaces the whole object; null empties it.' })
  @IsOptional() @IsBoundedJsonObject(METADATA_LIMITS) metadata?: Record<string, unknown> | null;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'An organization of this workspace (422 otherwise); null removes the contact from its organization.' })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsId() organizationId?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional({ ...CUSTOM_FIELDS_DOC, description: 'Merged into the existing values (JSON merge patch): a null value removes that key.' })
  @Omittable() @IsBoundedJsonObject(METADATA_LIMITS) customFields?: Record<string, unknown>;
}

@ArgsType()
export class ContactFilter {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EMAIL, description: 'Exact email, case-insensitive.' }) @IsOptional() @IsString() @MaxLength(MAX_EMAIL) email?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID }) @IsOptional() @IsString() @MaxLength(MAX_EXTERNAL_ID) externalId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: 200, description: 'Prefix of the name or email, case-insensitive.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) q?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ maxLength: 36, pattern: ID_OR_NONE_PATTERN, description: 'Contacts of this organization, or "none" for contacts without one.' })
  @IsOptional() @Matches(ID_OR_NONE, { message: 'organizationId must be a UUID or "none"' }) organizationId?: string;
}

export class ContactListQuery extends IntersectionType(PageQuery, ContactFilter) {}

@ArgsType()
export class ContactsArgs extends ContactFilter {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ArgsType()
export class ContactPageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType('Contact')
export class ContactView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, format: 'email', nullable: true, description: 'Lower-cased.' }) email: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @Field(() => ID, { nullable: true }) @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The organization the contact belongs to, if any.' }) organizationId: string | null;
  @Field(() => GraphQLJSONObject) @ApiProperty(METADATA_DOC) metadata: Record<string, unknown>;
  @Field(() => GraphQLJSONObject) @ApiProperty(CUSTOM_FIELDS_DOC) customFields: Record<string, unknown>;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class ContactListView {
  @ApiProperty({ type: [ContactView] }) data: ContactView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ObjectType()
export class ContactEdge {
  @Field(() => ContactView) node: ContactView;
  @Field() cursor: string;
}

@ObjectType()
export class ContactConnection {
  @Field(() => [ContactEdge]) edges: ContactEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
