import { DomainError } from '../../../common/errors/domain-errors';
import { MimeLimitBreach } from './mime-limits';

/** An inbound email built past one of the MIME limits; names the field, the limit and the variable that sets it. */
export class EmailLimitExceeded extends DomainError {
  readonly status = 413;
  readonly code = 'email_limit_exceeded';
  readonly title = 'Payload Too Large';

  constructor(breach: MimeLimitBreach) {
    super(`raw: ${breach.message} (limit ${breach.limit}, set by ${breach.variable})`);
    Object.assign(this.extensions, { errors: [{ field: 'raw', message: breach.message }], limit: breach.variable, max: breach.limit });
  }
}
