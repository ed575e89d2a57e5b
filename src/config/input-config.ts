import { integer } from './app-config';

export interface InputConfig {
  /** Deepest nesting allowed inside one free-form JSON field (metadata, customFields). */
  jsonMaxDepth: number;
  /** Largest free-form JSON field, serialised, in bytes. */
  jsonMaxFieldBytes: number;
  /** Deepest nesting of a whole JSON body, query or GraphQL argument; checked before anything walks it recursively. */
  bodyMaxDepth: number;
}

export const DEFAULT_INPUT_CONFIG: InputConfig = { jsonMaxDepth: 16, jsonMaxFieldBytes: 16 * 1024, bodyMaxDepth: 64 };

export function inputConfig(env: NodeJS.ProcessEnv): InputConfig {
  const jsonMaxDepth = integer(env, 'JSON_MAX_DEPTH', DEFAULT_INPUT_CONFIG.jsonMaxDepth, 1, 256);
  return {
    jsonMaxDepth,
    jsonMaxFieldBytes: integer(env, 'JSON_MAX_FIELD_BYTES', DEFAULT_INPUT_CONFIG.jsonMaxFieldBytes, 256, 1024 * 1024),
    // A free-form field sits a few levels down in its body, so the body must allow more than the field.
    bodyMaxDepth: integer(env, 'JSON_MAX_BODY_DEPTH', Math.max(DEFAULT_INPUT_CONFIG.bodyMaxDepth, jsonMaxDepth + 16), jsonMaxDepth + 8, 1024),
  };
}
