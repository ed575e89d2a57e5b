import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsFQDN, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { IsBoundedJsonObject } from '../../common/dto/json-object.validator';
import { PageQuery } from '../../common/dto/list-query.dto';
import { PageInfo } from '../../common/dto/page-info.dto';
import { NameString, Omittable } from '../../common/dto/validators';

export const MAX_DOMAINS = 50;
const MAX_DOMAIN = 253;
const MAX_EXTERNAL_ID = 255;
const MAX_NOTES = 10000;
const MAX_TAGS = 50;
const MAX_TAG = 64;
const CUSTOM_FIELDS_LIMITS = { maxKeys: 100 };
const CUSTOM_FIELDS_DOC = { type: 'object', additionalProperties: true, description: 'Your own fields: a JSON object of at most 100 keys.' } as const;
const DOMAINS_DOC = {
  type: 'array', items: { type: 'string', maxLength: MAX_DOMAIN }, maxItems: MAX_DOMAINS,
  description: 'Email domains (e.g. acme.com), lower-cased; each belongs to at most one organization of the workspace (409 duplicate, field domains). A new contact whose email is at one of them joins the organization.',
} as const;
const TAGS_DOC = { type: 'array', items: { type: 'string', maxLength: MAX_TAG }, maxItems: MAX_TAGS, description: 'Normalised to lower case and deduplicated.' } as const;

const Domains = () => (target: object, property: string) => {
  IsArray()(target, property);
  ArrayMaxSize(MAX_DOMAINS)(target, property);
  IsString({ each: true })(target, property);
  MaxLength(MAX_DOMAIN, { each: true })(target, property);
  IsFQDN({ require_tld: true }, { each: true, message: 'each of domains must be a domain name such as example.com' })(target, property);
};
const Tags = () => (target: object, property: string) => {
  IsArray()(target, property);
  ArrayMaxSize(MAX_TAGS)(target, property);
  IsString({ each: true })(target, property);
  MinLength(1, { each: true })(target, property);
  MaxLength(MAX_TAG, { each: true })(target, property);
};

@InputType()
export class CreateOrganizationInput {
  @Field() @ApiProperty({ maxLength: 200, description: 'Unique in the workspace, compared case-insensitively.' }) @NameString() name: string;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional(DOMAINS_DOC) @IsOptional() @Domains() domains?: string[];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID, description: "Your system's id for this company; unique in the workspace." })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_EXTERNAL_ID) externalId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_NOTES }) @IsOptional() @IsString() @MaxLength(MAX_NOTES) notes?: string;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional(TAGS_DOC) @IsOptional() @Tags() tags?: string[];
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional(CUSTOM_FIELDS_DOC) @IsOptional() @IsBoundedJsonObject(CUSTOM_FIELDS_LIMITS) customFields?: Record<string, unknown>;
}

/** Absent fields stay as they are; null clears externalId and notes. */
@InputType()
export class UpdateOrganizationInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @Omittable() @NameString() name?: string;
  @Field(() => [String], { nullable: true })
  @ApiPropertyOptional({ ...DOMAINS_DOC, description: `${DOMAINS_DOC.description} Replaces the whole list; existing contacts keep their organization.` })
  @Omittable() @Domains() domains?: string[];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID, nullable: true, type: String })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_EXTERNAL_ID) externalId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_NOTES, nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(MAX_NOTES) notes?: string | null;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ ...TAGS_DOC, description: 'Replaces the tag set.' }) @Omittable() @Tags() tags?: string[];
  @Field(() => GraphQLJSONObject, { nullable: true }) @ApiPropertyOptional({ ...CUSTOM_FIELDS_DOC, description: 'Replaces the whole object.' })
  @Omittable() @IsBoundedJsonObject(CUSTOM_FIELDS_LIMITS) customFields?: Record<string, unknown>;
}

@ArgsType()
export class OrganizationFilter {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID }) @IsOptional() @IsString() @MaxLength(MAX_EXTERNAL_ID) externalId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_DOMAIN, description: 'The organization owning this email domain.' })
  @IsOptional() @IsString() @MaxLength(MAX_DOMAIN) domain?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: 200, description: 'Prefix of the name, case-insensitive.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) q?: string;
}

export class OrganizationListQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: MAX_EXTERNAL_ID }) @IsOptional() @IsString() @MaxLength(MAX_EXTERNAL_ID) externalId?: string;
  @ApiPropertyOptional({ maxLength: MAX_DOMAIN, description: 'The organization owning this email domain.' }) @IsOptional() @IsString() @MaxLength(MAX_DOMAIN) domain?: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'Prefix of the name, case-insensitive.' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) q?: string;
}

export class DeleteOrganizationQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true: the organization\'s contacts leave it (their organizationId becomes null) and the delete goes ahead.' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() detach?: boolean;
}

@ArgsType()
export class OrganizationsArgs extends OrganizationFilter {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType('Organization')
export class OrganizationView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => [String]) @ApiProperty({ type: [String], description: 'Email domains, sorted.' }) domains: string[];
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @Field(() => [String]) @ApiProperty({ type: [String] }) tags: string[];
  @Field(() => GraphQLJSONObject) @ApiProperty(CUSTOM_FIELDS_DOC) customFields: Record<string, unknown>;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class OrganizationListView {
  @ApiProperty({ type: [OrganizationView] }) data: OrganizationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ObjectType()
export class OrganizationEdge {
  @Field(() => OrganizationView) node: OrganizationView;
  @Field() cursor: string;
}

@ObjectType()
export class OrganizationConnection {
  @Field(() => [OrganizationEdge]) edges: OrganizationEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

