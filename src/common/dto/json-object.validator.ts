import { registerDecorator, ValidationOptions } from 'class-validator';

/** A plain JSON object (not an array or scalar), bounded in keys and serialised size. */
export function IsBoundedJsonObject(limits: { maxKeys: number; maxBytes: number }, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBoundedJsonObject',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          if (Object.keys(value).length > limits.maxKeys) return false;
          return Buffer.byteLength(JSON.stringify(value)) <= limits.maxBytes;
        },
        defaultMessage: () => `${propertyName} must be a JSON object with at most ${limits.maxKeys} keys and ${limits.maxBytes} bytes`,
      },
    });
}
