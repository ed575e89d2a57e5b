import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { Forbidden, Unauthenticated } from '../common/errors/domain-errors';
import { ApiKeysService } from './api-keys.service';
import { IS_PUBLIC, REQUIRED_ROLE, REQUIRED_SCOPE, requestOf } from './auth.decorators';
import { ACCESS_TOKEN_SHAPE } from './credentials.service';
import { Principal, Role } from './principal';

class JwtPassportGuard extends PassportAuthGuard('jwt') {
  override getRequest(context: ExecutionContext) {
    return requestOf(context);
  }
  override handleRequest<T>(error: unknown, principal: T): T {
    if (error || !principal) throw new Unauthenticated('The access token is invalid or expired. Refresh it or log in again.');
    return principal;
  }
}

/** Global guard: every route needs a bearer credential (an API key or an agent's JWT) unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly jwtGuard = new JwtPassportGuard();

  constructor(private readonly reflector: Reflector, private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = requestOf(context);
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new Unauthenticated('Send an API key or access token as "Authorization: Bearer <credential>".');
    const credential = match[1];
    if (ACCESS_TOKEN_SHAPE.test(credential)) {
      await this.jwtGuard.canActivate(context);
    } else {
      const principal = await this.apiKeys.authenticate(credential);
      if (!principal) throw new Unauthenticated('The API key is not valid or has been revoked.');
      request.user = principal;
    }
    this.authorise(request.user as Principal, targets);
    return true;
  }

  private authorise(principal: Principal, targets: Array<object>): void {
    const role = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets as never);
    if (role === 'admin' && principal.role !== 'admin') {
      throw new Forbidden('This operation needs the admin role; agents can work tickets and contacts only.');
    }
    const scope = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets as never);
    if (scope && !principal.scopes.includes(scope)) throw new Forbidden(`This operation needs an API key with the ${scope} scope.`);
  }
}
