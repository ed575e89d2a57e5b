import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { GraphqlConfig } from '../config/graphql-config';
import { QueryLimitExceeded } from './query-limit-exceeded';

/** Lexes until the limit is passed, never further: a 300 KB document costs no more to refuse than a small one. */
export function countTokens(query: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (tokens <= stopAfter && lexer.advance().kind !== TokenKind.EOF) tokens++;
  } catch (error) {
    // A syntax error: the parser reports it, with its position, once the document is within the limits.
    if (!(error instanceof GraphQLError)) throw error;
  }
  return tokens;
}

/** The query texts of a request: one for a POST body or a GET, several for a batch (an array of operations). */
function queryTexts(request: { body?: unknown; query?: unknown }): string[] {
  const payloads = [request.body, request.query].flatMap((payload) => (Array.isArray(payload) ? payload : [payload]));
  return payloads
    .map((payload) => (payload && typeof payload === 'object' ? (payload as { query?: unknown }).query : undefined))
    .filter((query): query is string => typeof query === 'string');
}

/**
 * Refuses a request whose query text is too long or has too many tokens before anything parses it. Summed over a batch,
 * so an array of operations cannot split one oversized request into many small ones (Apollo refuses batches anyway).
 * Called when Apollo builds the request's context: the one hook that runs first and answers a GraphQL error with its HTTP status.
 */
export function refuseOversizedDocuments(request: { body?: unknown; query?: unknown }, limits: GraphqlConfig): void {
  const texts = queryTexts(request);
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  if (bytes > limits.maxDocumentBytes) {
    throw new QueryLimitExceeded(
      'DOCUMENT_TOO_LARGE',
      `The query text is ${bytes} bytes; the limit is ${limits.maxDocumentBytes}. Pass long values as variables.`,
      limits.maxDocumentBytes,
      { bytes },
    );
  }
  let tokens = 0;
  for (const text of texts) {
    tokens += countTokens(text, limits.maxTokens - tokens);
    if (tokens > limits.maxTokens) {
      throw new QueryLimitExceeded('TOO_MANY_TOKENS', `The query has more than ${limits.maxTokens} tokens, the limit.`, limits.maxTokens);
    }
  }
}
