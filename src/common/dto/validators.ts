import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';

export const MAX_NAME = 200;
export const MAX_TEXT = 65536;

export const IsId = () => IsUUID('all', { message: '$property must be a UUID' });
export const OptionalIds = (max = 100) => applyDecorators(IsOptional(), IsArray(), ArrayMaxSize(max), IsUUID('all', { each: true }));
export const NameString = (max = MAX_NAME) => applyDecorators(IsString(), MinLength(1), MaxLength(max));

/**
 * A field a change may leave out but not set to null: unlike IsOptional, null is validated (and refused) like any
 * other value, so it never reaches code or a NOT NULL column that cannot take it.
 */
export const Omittable = () => ValidateIf((_, value) => value !== undefined);

/**
 * An optional list or condition where null means the same as leaving it out (GraphQL clients send null for unset
 * input fields): stored and answered as absent, never as a null the documented array type does not allow.
 */
export const NullMeansOmitted = () => Transform(({ value }) => (value === null ? undefined : value));
