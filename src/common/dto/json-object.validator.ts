import { getMetadataStorage, registerDecorator, ValidationOptions } from 'class-validator';

const BOUNDED_JSON_OBJECT = 'isBoundedJsonObject';
// Decorators run once per class at load time, so the answer per class never changes.
export type DtoClass = abstract new (...args: never[]) => unknown;
const freeFormFieldsByClass = new WeakMap<DtoClass, ReadonlySet<string>>();

/** The properties of a DTO class that hold caller-defined JSON; the validation pipe caps their depth and size. */
export function freeFormJsonFields(dtoClass: DtoClass): ReadonlySet<string> {
  let fields = freeFormFieldsByClass.get(dtoClass);
  if (!fields) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dtoClass, '', true, false);
    fields = new Set(metadata.filter((rule) => rule.name === BOUNDED_JSON_OBJECT).map((rule) => rule.propertyName));
    freeFormFieldsByClass.set(dtoClass, fields);
  }
  return fields;
}

/**
 * A plain JSON object (not an array or scalar) with at most `maxKeys` keys, and `maxBytes` serialised if the field
 * has a tighter limit of its own. Depth and size are also capped for every such field by JSON_MAX_DEPTH and
 * JSON_MAX_FIELD_BYTES (see common/errors/validation.ts).
 */
export function IsBoundedJsonObject(limits: { maxKeys: number; maxBytes?: number }, options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: BOUNDED_JSON_OBJECT,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          if (Object.keys(value).length > limits.maxKeys) return false;
          return limits.maxBytes === undefined || Buffer.byteLength(JSON.stringify(value)) <= limits.maxBytes;
        },
        defaultMessage: () =>
          `${propertyName} must be a JSON object with at most ${limits.maxKeys} keys${limits.maxBytes === undefined ? '' : ` and ${limits.maxBytes} bytes`}`,
      },
    });
  };
}
