import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TimeBudgetExceeded } from '../errors/platform-errors';

const budgets = new WeakMap<FastifyRequest, AbortController>();

/**
 * Answers a request that is still unanswered after `budgetMs` with a 503 problem, and aborts the signal its handler runs
 * under (`runUnder` makes that signal ambient, e.g. so database work can be cancelled). Fastify's own handlerTimeout is
 * not used: it stops counting as soon as a request body has been read (Node then closes the request stream), so it
 * would never cover a slow POST.
 */
export function answerRequestsWithin(fastify: FastifyInstance, budgetMs: number, runUnder: (signal: AbortSignal, next: () => void) => void): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const budget = new AbortController();
    budgets.set(request, budget);
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      const exceeded = TimeBudgetExceeded.request(budgetMs);
      void reply.send(exceeded);
      budget.abort(exceeded);
    }, budgetMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
  // The last hook before the handler, and after the body was read (whose stream events would not carry the context).
  fastify.addHook('preHandler', (request, _reply, done) => {
    const budget = budgets.get(request);
    if (budget) runUnder(budget.signal, done);
    else done();
  });
}
