import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export const MAX_NAME = 200;
export const MAX_TEXT = 65536;

export const IsId = () => IsUUID('all', { message: '$property must be a UUID' });
export const OptionalIds = (max = 100) => applyDecorators(IsOptional(), IsArray(), ArrayMaxSize(max), IsUUID('all', { each: true }));
export const NameString = (max = MAX_NAME) => applyDecorators(IsString(), MinLength(1), MaxLength(max));
