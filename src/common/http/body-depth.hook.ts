import type { FastifyInstance } from 'fastify';
import { inspectUntrustedJson } from '../dto/untrusted-json';
import { ValidationFailed } from '../errors/domain-errors';
import { PROBLEM_CONTENT_TYPE, problemFromDomainError } from '../errors/problem';

/**
 * Guards and interceptors (idempotency hashes the body) walk a body recursively before the validation pipe sees it:
 * bodies too deep to walk safely are refused where the parsed body first appears, on every route, GraphQL included.
 * Text checks stay in the validation pipe, which answers GraphQL in GraphQL's own error format.
 */
export function refuseDeepBodies(fastify: FastifyInstance, maxDepth: number): void {
  fastify.addHook('preValidation', async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return;
    const tooDeep = inspectUntrustedJson(body, maxDepth, '', { depthOnly: true });
    if (!tooDeep) return;
    const problem = problemFromDomainError(ValidationFailed.field(tooDeep.field, tooDeep.message));
    return reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
}
