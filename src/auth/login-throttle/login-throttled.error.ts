import { DomainError } from '../../common/errors/domain-errors';

export class LoginThrottled extends DomainError {
  readonly status = 429;
  readonly code = 'login_throttled';
  readonly title = 'Too Many Requests';
  constructor(retryAfterSeconds: number) {
    super(`Too many failed logins for this account or from this address. Try again in ${retryAfterSeconds} s.`);
    this.extensions.retryAfter = retryAfterSeconds;
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}
