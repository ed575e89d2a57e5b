import type { FastifyInstance } from 'fastify';
import { TimeBudgetExceeded } from '../errors/platform-errors';

/**
 * Answers a request that is still unanswered after `budgetMs` with a 503 problem. Fastify's own handlerTimeout is not
 * used: it stops counting as soon as a request body has been read (Node then closes the request stream), so it would
 * never cover a slow POST. The work itself is bounded by the database's statement timeout.
 */
export function answerRequestsWithin(fastify: FastifyInstance, budgetMs: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const timer = setTimeout(() => {
      if (!reply.sent && !reply.raw.headersSent) void reply.send(TimeBudgetExceeded.request(budgetMs));
    }, budgetMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}
