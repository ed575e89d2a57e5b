export interface FieldError {
  field: string;
  message: string;
}

/**
 * Services throw these; one filter per transport turns them into problem+json or GraphQL errors.
 * `code` is stable and machine-readable; it becomes the problem `type` and the GraphQL extension code.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  readonly extensions: Record<string, unknown> = {};
  /** Response headers REST sends with the problem (e.g. Retry-After). */
  readonly headers: Record<string, string> = {};

  constructor(readonly detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ResourceNotFound extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
  readonly title = 'Not Found';
  constructor(resource: string, id: string) {
    super(`No ${resource} with id ${id} exists in this workspace.`);
  }
}

export class ValidationFailed extends DomainError {
  readonly status = 422;
  readonly code = 'validation_failed';
  readonly title = 'Validation Failed';
  constructor(readonly errors: FieldError[], detail = 'The request has invalid fields; see errors.') {
    super(detail);
    this.extensions.errors = errors;
  }

  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, message }], `${field}: ${message}`);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly code: string;
  readonly title = 'Conflict';
  constructor(detail: string, code = 'conflict', extensions: Record<string, unknown> = {}) {
    super(detail);
    this.code = code;
    Object.assign(this.extensions, extensions);
  }
}

export class InvalidTransition extends DomainError {
  readonly status = 409;
  readonly code = 'invalid_transition';
  readonly title = 'Invalid Status Transition';
  constructor(from: string, to: string, readonly allowed: string[]) {
    super(
      allowed.length
        ? `A ${from} ticket cannot move to ${to}. Allowed next statuses: ${allowed.join(', ')}.`
        : `A ${from} ticket is final and cannot change.`,
    );
    this.extensions.from = from;
    this.extensions.to = to;
    this.extensions.allowed = allowed;
  }
}

export class TicketClosed extends DomainError {
  readonly status = 409;
  readonly code = 'ticket_closed';
  readonly title = 'Ticket Closed';
  constructor(number: number) {
    super(`Ticket #${number} is closed; closed tickets cannot be edited. A requester message creates a follow-up ticket.`);
  }
}

export class VersionConflict extends DomainError {
  readonly status = 412;
  readonly code = 'precondition_failed';
  readonly title = 'Precondition Failed';
  constructor(expected: string, current: number) {
    super(`If-Match ${expected} does not match the current version "${current}". Fetch the resource again and retry.`);
    this.extensions.currentVersion = current;
  }
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  readonly title = 'Unauthorized';
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Forbidden';
}

export class BadRequest extends DomainError {
  readonly status = 400;
  readonly code = 'bad_request';
  readonly title = 'Bad Request';
}

/** A pagination cursor this API did not issue (or issued for another order): the caller must start the list again. */
export class InvalidCursor extends DomainError {
  readonly status = 400;
  readonly code = 'invalid_cursor';
  readonly title = 'Invalid Cursor';
  constructor(field: string, message: string) {
    super(`Invalid cursor: ${field} ${message}.`);
    this.extensions.errors = [{ field, message }];
  }
}
