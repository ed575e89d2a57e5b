import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { requestOf } from '../../auth/auth.decorators';
import { Forbidden } from '../../common/errors/domain-errors';

export const NOT_AN_AGENT = 'Presence is an agent\'s: use an agent\'s access token or an API key bound to an agent.';

/**
 * Being present on a ticket needs an agent (a login, or a key bound to one). Decided from the credential alone, before
 * the body is validated or the ticket looked up, so it tells nothing about any ticket.
 */
@Injectable()
export class PresentAgentGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!requestOf(context).user?.agentId) throw new Forbidden(NOT_AN_AGENT);
    return true;
  }
}
