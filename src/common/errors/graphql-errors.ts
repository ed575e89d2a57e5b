import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-errors';
import { asDomainError, toProblem } from './problem-exception.filter';

/**
 * Apollo re-codes every validation rule's error GRAPHQL_VALIDATION_FAILED; a rule that gave its own code (a query limit
 * such as TOO_MANY_ALIASES) keeps it, with its other extensions.
 */
function codedRuleError(error: unknown): GraphQLError | null {
  if (!(error instanceof GraphQLError) || error.path || !(error.originalError instanceof GraphQLError)) return null;
  return typeof error.originalError.extensions.code === 'string' ? error.originalError : null;
}

/** Stack traces describe our code, not the client's mistake; none leaves the server, whatever NODE_ENV says. */
function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/** GraphQL errors carry the same code and fields as the REST problem body, so clients handle both alike. */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const rule = codedRuleError(error);
  if (rule) {
    const { http: _, ...extensions } = rule.extensions;
    return withoutStacktrace({ message: rule.message, locations: formatted.locations, extensions });
  }
  const unwrapped = unwrapResolverError(error);
  const cause = asDomainError(unwrapped) ?? unwrapped;
  if (cause instanceof DomainError) {
    return { ...formatted, message: cause.detail, extensions: { code: cause.code.toUpperCase(), status: cause.status, ...cause.extensions } };
  }
  // Parse and validation errors (unknown fields, wrong argument types) are the client's: Apollo's own codes say what to fix.
  if (cause instanceof GraphQLError) return withoutStacktrace(formatted);
  const problem = toProblem(cause);
  return {
    message: problem.detail,
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      code: problem.status >= 500 ? 'INTERNAL_SERVER_ERROR' : String(problem.type.split('/').pop()).toUpperCase().replace(/-/g, '_'),
      status: problem.status,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(problem.errorId ? { errorId: problem.errorId } : {}),
    },
  };
}
