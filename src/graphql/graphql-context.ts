import { Principal } from '../auth/principal';

/** The context every GraphQL resolver receives: Fastify's request (with the principal the auth guard set) and reply. */
export interface GraphQLRequestContext {
  req: { user?: Principal };
  reply: unknown;
}

export function buildGraphQLContext(request: unknown, reply: unknown): GraphQLRequestContext {
  return { req: request as GraphQLRequestContext['req'], reply };
}

/** The authenticated principal, for resolvers that take graphql-js's own arguments instead of `@CurrentPrincipal()`. */
export function principalOf(context: GraphQLRequestContext): Principal {
  const principal = context.req.user;
  if (!principal) throw new Error('principalOf used on a GraphQL operation without authentication');
  return principal;
}
