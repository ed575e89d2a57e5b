import { GraphQLError } from 'graphql';

export type QueryLimitCode =
  | 'QUERY_TOO_COSTLY'
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_ROOT_FIELDS'
  | 'TOO_MANY_MUTATIONS'
  | 'TOO_MANY_TOKENS'
  | 'TOO_MANY_DIRECTIVES'
  | 'DOCUMENT_TOO_LARGE';

/**
 * A request refused before execution because it asks for more than one request may. `measured` names what was counted
 * (cost, aliases, ...) and its value, so a client can see how far over it was. Apollo answers it with HTTP 400 wherever
 * it is raised (and drops the `http` extension), and formatGraphQLError keeps its code when Apollo wraps it as a validation error.
 */
export class QueryLimitExceeded extends GraphQLError {
  constructor(readonly code: QueryLimitCode, message: string, readonly limit: number, readonly measured: Record<string, number> = {}) {
    super(message, { extensions: { code, status: 400, limit, ...measured, http: { status: 400 } } });
  }
}
