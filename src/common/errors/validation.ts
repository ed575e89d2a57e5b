import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DEFAULT_INPUT_CONFIG, InputConfig } from '../../config/input-config';
import { DtoClass, freeFormJsonFields } from '../dto/json-object.validator';
import { inspectUntrustedJson, jsonDepth } from '../dto/untrusted-json';
import { FieldError, ValidationFailed } from './domain-errors';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: error.constraints?.whitelistValidation === message ? `${field} is not a known field` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function validationErrorsToFields(errors: ValidationError[]): FieldError[] {
  return flatten(errors);
}

function failed(fields: FieldError[]): ValidationFailed {
  return new ValidationFailed(fields, fields.map((f) => `${f.field}: ${f.message}`).join('; '));
}

/** Free-form JSON fields (metadata, customFields) anywhere in a validated DTO that exceed the configured caps. */
function oversizedFreeForm(dto: unknown, limits: InputConfig, path = ''): FieldError[] {
  if (Array.isArray(dto)) return dto.flatMap((item, index) => oversizedFreeForm(item, limits, `${path}[${index}]`));
  // Only DTO instances have free-form fields; plain and null-prototype objects (form bodies) are not walked.
  if (dto === null || typeof dto !== 'object' || typeof dto.constructor !== 'function' || dto.constructor === Object || dto instanceof Date || ArrayBuffer.isView(dto)) return [];
  const freeForm = freeFormJsonFields(dto.constructor as DtoClass);
  return Object.entries(dto).flatMap(([key, value]) => {
    const field = path ? `${path}.${key}` : key;
    if (!freeForm.has(key)) return oversizedFreeForm(value, limits, field);
    if (value === null || value === undefined) return [];
    if (jsonDepth(value, limits.jsonMaxDepth) > limits.jsonMaxDepth) return [{ field, message: `must not nest deeper than ${limits.jsonMaxDepth} levels` }];
    if (Buffer.byteLength(JSON.stringify(value)) > limits.jsonMaxFieldBytes) return [{ field, message: `must be at most ${limits.jsonMaxFieldBytes} bytes as JSON` }];
    return [];
  });
}

/**
 * The one validation pipe: unknown fields are rejected, payloads become typed DTO instances. Before any of that walks
 * the input recursively, text PostgreSQL cannot store and nesting past the body limit are refused naming the field,
 * the same way for REST bodies, queries, path parameters and GraphQL arguments.
 */
class DesklineValidationPipe extends ValidationPipe {
  constructor(private readonly limits: InputConfig) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => failed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom parameter decorators carry our own objects (the principal, the reply), not caller input.
    if (metadata.type === 'custom') return value;
    const rootPath = value !== null && typeof value === 'object' ? '' : (metadata.data ?? metadata.type);
    const unsafe = inspectUntrustedJson(value, this.limits.bodyMaxDepth, rootPath);
    if (unsafe) throw failed([unsafe]);
    const dto = await super.transform(value, metadata);
    const oversized = oversizedFreeForm(dto, this.limits);
    if (oversized.length) throw failed(oversized);
    return dto;
  }
}

export function createValidationPipe(limits: InputConfig = DEFAULT_INPUT_CONFIG): ValidationPipe {
  return new DesklineValidationPipe(limits);
}
