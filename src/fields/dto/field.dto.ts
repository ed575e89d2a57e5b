import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { NameString, Omittable } from '../../common/dto/validators';
import { FIELD_ENTITIES, FIELD_KEY, FIELD_REQUIRED, FIELD_TYPES, FieldEntity, FieldRequired, FieldType, MAX_OPTIONS, MAX_PATTERN } from '../field-rules';

export const CustomFieldEntityEnum = { ticket: 'ticket', contact: 'contact', organization: 'organization' } as const;
export const CustomFieldTypeEnum = Object.fromEntries(FIELD_TYPES.map((type) => [type, type])) as { [K in FieldType]: K };
export const CustomFieldRequiredEnum = { never: 'never', always: 'always', on_solve: 'on_solve' } as const;
registerEnumType(CustomFieldEntityEnum, { name: 'CustomFieldEntity' });
registerEnumType(CustomFieldTypeEnum, { name: 'CustomFieldType' });
registerEnumType(CustomFieldRequiredEnum, { name: 'CustomFieldRequired' });

const TYPE_DOC =
  'text (up to 1,000 characters), textarea (up to 10,000), integer, decimal (a JSON number), date (YYYY-MM-DD), checkbox (true/false), dropdown (one option value), multiselect (a list of option values) or regex (a string matching pattern in full).';
const REQUIRED_DOC = 'never; always (every write must leave it filled in; refused with 422); on_solve (a ticket cannot become resolved while it is empty: 409).';
const MAX_LABEL = 200;

/** The path parameter: which kind of record the fields describe. */
export class FieldEntityParams {
  @ApiProperty({ enum: FIELD_ENTITIES }) @IsIn(FIELD_ENTITIES) entity: FieldEntity;
}

export class FieldKeyParams extends FieldEntityParams {
  @ApiProperty({ maxLength: 64, pattern: FIELD_KEY.source }) @IsString() @MaxLength(64) @Matches(FIELD_KEY, { message: 'key must be a field key' }) key: string;
}

@InputType('CustomFieldOptionInput')
export class FieldOptionInput {
  @Field() @ApiProperty({ maxLength: 100, description: 'The stored value: stable, never renamed.' }) @IsString() @MinLength(1) @MaxLength(100) value: string;
  @Field() @ApiProperty({ maxLength: MAX_LABEL, description: 'What people see; may change.' }) @NameString(MAX_LABEL) label: string;
}

@InputType()
export class CreateCustomFieldInput {
  @Field() @ApiProperty({ maxLength: 64, pattern: FIELD_KEY.source, description: 'The key in customFields: lowercase letters, digits and _, unique per entity kind; never changes.' })
  @IsString() @MaxLength(64) @Matches(FIELD_KEY, { message: 'key must start with a lowercase letter and hold only a-z, 0-9 and _' }) key: string;
  @Field() @ApiProperty({ maxLength: MAX_LABEL }) @NameString(MAX_LABEL) label: string;
  @Field(() => CustomFieldTypeEnum) @ApiProperty({ enum: FIELD_TYPES, description: TYPE_DOC }) @IsIn(FIELD_TYPES) type: FieldType;
  @Field(() => [FieldOptionInput], { nullable: true }) @ApiPropertyOptional({ type: [FieldOptionInput], maxItems: MAX_OPTIONS, description: 'dropdown and multiselect only, at least one, values unique.' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_OPTIONS) @ValidateNested({ each: true }) @Type(() => FieldOptionInput) options?: FieldOptionInput[];
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_PATTERN, description: 'regex only: a JavaScript regular expression the whole value must match.' })
  @IsOptional() @IsString() @MaxLength(MAX_PATTERN) pattern?: string;
  @Field(() => CustomFieldRequiredEnum, { nullable: true }) @ApiPropertyOptional({ enum: FIELD_REQUIRED, default: 'never', description: REQUIRED_DOC })
  @IsOptional() @IsIn(FIELD_REQUIRED) required?: FieldRequired;
  @Field({ nullable: true }) @ApiPropertyOptional({ default: false, description: 'Shown to requesters in the portal.' }) @IsOptional() @IsBoolean() visibleToRequesters?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional({ default: false, description: 'Requesters may fill it in through the portal (needs visibleToRequesters).' }) @IsOptional() @IsBoolean() editableByRequesters?: boolean;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ minimum: 0, maximum: 10000, description: 'Form order; defaults to after the last field.' })
  @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
}

/** Absent fields stay as they are. The key never changes; a type change is refused (409) while values exist. */
@InputType()
export class UpdateCustomFieldInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_LABEL }) @Omittable() @NameString(MAX_LABEL) label?: string;
  @Field(() => CustomFieldTypeEnum, { nullable: true }) @ApiPropertyOptional({ enum: FIELD_TYPES, description: `${TYPE_DOC} Refused with 409 field_in_use (and the count) while records hold a value.` })
  @Omittable() @IsIn(FIELD_TYPES) type?: FieldType;
  @Field(() => [FieldOptionInput], { nullable: true }) @ApiPropertyOptional({ type: [FieldOptionInput], maxItems: MAX_OPTIONS, description: 'Replaces the options: labels may change and options may be added; dropping a value still in use answers 409 option_in_use.' })
  @Omittable() @IsArray() @ArrayMaxSize(MAX_OPTIONS) @ValidateNested({ each: true }) @Type(() => FieldOptionInput) options?: FieldOptionInput[];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_PATTERN, nullable: true }) @IsOptional() @IsString() @MaxLength(MAX_PATTERN) pattern?: string | null;
  @Field(() => CustomFieldRequiredEnum, { nullable: true }) @ApiPropertyOptional({ enum: FIELD_REQUIRED, description: REQUIRED_DOC }) @Omittable() @IsIn(FIELD_REQUIRED) required?: FieldRequired;
  @Field({ nullable: true }) @ApiPropertyOptional() @Omittable() @IsBoolean() visibleToRequesters?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @Omittable() @IsBoolean() editableByRequesters?: boolean;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @Omittable() @IsInt() @Min(0) @Max(10000) position?: number;
}

@ObjectType('CustomFieldOption')
export class FieldOptionView {
  @Field() @ApiProperty() value: string;
  @Field() @ApiProperty() label: string;
}

@ObjectType('CustomFieldDefinition')
export class CustomFieldView {
  @Field() @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => CustomFieldEntityEnum) @ApiProperty({ enum: FIELD_ENTITIES }) entity: FieldEntity;
  @Field() @ApiProperty() key: string;
  @Field() @ApiProperty() label: string;
  @Field(() => CustomFieldTypeEnum) @ApiProperty({ enum: FIELD_TYPES, description: TYPE_DOC }) type: FieldType;
  @Field(() => [FieldOptionView]) @ApiProperty({ type: [FieldOptionView], description: 'Empty unless dropdown or multiselect.' }) options: FieldOptionView[];
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) pattern: string | null;
  @Field(() => CustomFieldRequiredEnum) @ApiProperty({ enum: FIELD_REQUIRED, description: REQUIRED_DOC }) required: FieldRequired;
  @Field() @ApiProperty() visibleToRequesters: boolean;
  @Field() @ApiProperty() editableByRequesters: boolean;
  @Field(() => Int) @ApiProperty() position: number;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class CustomFieldListView {
  @ApiProperty({ type: [CustomFieldView], description: 'In form order (position).' }) data: CustomFieldView[];
  @ApiProperty({ description: 'The workspace setting (PUT /v1/field-settings): keys without a definition are refused when true.' }) strictCustomFields: boolean;
}

@InputType()
export class CustomFieldSettingsInput {
  @Field() @ApiProperty({ description: 'true: keys without a definition are refused (422) on every write; false: they are stored as free-form values.' })
  @IsBoolean() strictCustomFields: boolean;
}

@ObjectType('CustomFieldSettings')
export class CustomFieldSettingsView {
  @Field() @ApiProperty() strictCustomFields: boolean;
}
