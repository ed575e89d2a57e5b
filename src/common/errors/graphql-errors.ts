import { GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-errors';
import { toProblem } from './problem-exception.filter';

/** GraphQL errors carry the same code and fields as the REST problem body, so clients handle both alike. */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError;
  if (!original) return formatted;
  if (original instanceof DomainError) {
    return { ...formatted, message: original.detail, extensions: { code: original.code.toUpperCase(), status: original.status, ...original.extensions } };
  }
  const problem = toProblem(original);
  return {
    message: problem.detail,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: problem.status >= 500 ? 'INTERNAL_SERVER_ERROR' : String(problem.type.split('/').pop()).toUpperCase(), status: problem.status, ...(problem.errors ? { errors: problem.errors } : {}), ...(problem.errorId ? { errorId: problem.errorId } : {}) },
  };
}
