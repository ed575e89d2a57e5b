import { Principal } from '../auth/principal';

/** The context every GraphQL resolver receives: Fastify's request (with the principal the auth guard set) and reply. */
export interface GraphQLRequestContext {
  req: { user?: Principal };
  reply: unknown;
}

export function buildGraphQLContext(request: unknown, reply: unknown): GraphQLRequestContext {
  return { req: request as GraphQLRequestContext['req'], reply };
}
