import { DomainError } from './domain-errors';

/**
 * The server stopped work that ran past its time budget. 503 rather than 504: Deskline is the origin, not a gateway, and
 * the condition is temporary (a slow moment, a lock held elsewhere, an expensive request); the caller may retry later.
 */
export class TimeBudgetExceeded extends DomainError {
  readonly status = 503;
  readonly title = 'Service Unavailable';

  private constructor(readonly code: string, detail: string) {
    super(detail);
  }

  static request(budgetMs: number): TimeBudgetExceeded {
    const error = new TimeBudgetExceeded(
      'request_timeout',
      `The request took longer than the server's ${budgetMs} ms budget (REQUEST_TIMEOUT_MS) and was answered without its result; ` +
        'work it had started may still complete. Retry later, with the same Idempotency-Key for creates, or ask for less at once.',
    );
    error.extensions.budgetMs = budgetMs;
    return error;
  }

  static statement(): TimeBudgetExceeded {
    return new TimeBudgetExceeded(
      'statement_timeout',
      'A database statement of this request ran past the server\'s statement timeout (DATABASE_STATEMENT_TIMEOUT_MS) and was cancelled, ' +
        'with the rest of its transaction. Retry later or ask for less at once (a narrower filter, a smaller page).',
    );
  }
}

export class PayloadTooLarge extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly title = 'Payload Too Large';
  constructor(limitBytes: number, variable: string) {
    super(`The request body is larger than the ${limitBytes}-byte limit of this endpoint (${variable}).`);
    this.extensions.limitBytes = limitBytes;
  }
}
