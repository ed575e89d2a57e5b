import { Inject, Injectable } from '@nestjs/common';
import { ValidationFailed } from '../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { endpointUrlProblem, ipLiteral } from './endpoint-policy/endpoint-url';
import { forbiddenResolution } from '../common/network/guarded-lookup';

/** Checks an endpoint URL against the server's policy when it is saved; the dispatcher checks again at connect time. */
@Injectable()
export class EndpointGuard {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async checkedUrl(raw: string, field = 'url'): Promise<string> {
    const problem = endpointUrlProblem(raw, this.config.webhooks);
    if (problem) throw ValidationFailed.field(field, problem);
    const url = new URL(raw);
    if (!this.config.webhooks.allowPrivateAddresses && ipLiteral(url) === null) {
      const refused = await forbiddenResolution(url.hostname);
      if (refused) throw ValidationFailed.field(field, refused);
    }
    url.hash = '';
    return url.href;
  }
}
