import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-errors';
import { asDomainError, toProblem } from './problem-exception.filter';

/** GraphQL errors carry the same code and fields as the REST problem body, so clients handle both alike. */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  const cause = asDomainError(unwrapped) ?? unwrapped;
  if (cause instanceof DomainError) {
    return { ...formatted, message: cause.detail, extensions: { code: cause.code.toUpperCase(), status: cause.status, ...cause.extensions } };
  }
  // Parse and validation errors (unknown fields, wrong argument types) are the client's: Apollo's own codes say what to fix.
  if (cause instanceof GraphQLError) return formatted;
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
