import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Unauthenticated } from '../../common/errors/domain-errors';
import { PortalAuthService } from './portal-auth.service';
import { PortalRequest } from './portal-session';

/**
 * Portal routes are @Public to the global guard, so API keys and agent tokens are never accepted here; this guard
 * accepts portal tokens only, and portal tokens fail the global guard's checks (other key, other audience).
 */
@Injectable()
export class PortalGuard implements CanActivate {
  constructor(private readonly auth: PortalAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PortalRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new Unauthenticated('Send a portal token as "Authorization: Bearer <token>".');
    request.portalSession = await this.auth.authenticate(match[1]);
    return true;
  }
}
