import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiKeysService } from './api-keys.service';
import { AccessTokenClaims, AuthService, JWT_ALGORITHM } from './auth.service';
import { Principal } from './principal';

/** An access token (three base64url parts); anything else presented as a bearer credential is taken as an API key. */
export const ACCESS_TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** What every access token must pass, on the HTTP guard (passport-jwt) and on long-lived connections alike. */
export function accessTokenChecks(config: AppConfig): { algorithms: jwt.Algorithm[]; issuer: string; audience: string; maxAge: string } {
  return { algorithms: [JWT_ALGORITHM], issuer: config.jwtIssuer, audience: config.jwtAudience, maxAge: `${config.accessTokenTtlSeconds}s` };
}

export interface AuthenticatedCredential {
  principal: Principal;
  /** When the credential stops working by itself (an access token's exp); null for API keys, which last until revoked. */
  expiresAt: Date | null;
}

/**
 * A bearer credential checked outside an HTTP request (a WebSocket's connection_init, and again while it stays open),
 * with the same rules as the global guard: a revoked key, an ended session or a deactivated agent is refused.
 */
@Injectable()
export class CredentialsService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly apiKeys: ApiKeysService, private readonly auth: AuthService) {}

  async authenticate(credential: string): Promise<AuthenticatedCredential | null> {
    if (!ACCESS_TOKEN_SHAPE.test(credential)) {
      const principal = await this.apiKeys.authenticate(credential);
      return principal ? { principal, expiresAt: null } : null;
    }
    let claims: AccessTokenClaims & { exp?: number };
    try {
      claims = jwt.verify(credential, this.config.jwtSecret, accessTokenChecks(this.config)) as AccessTokenClaims & { exp?: number };
    } catch {
      return null;
    }
    const principal = await this.principalFromClaims(claims);
    return principal ? { principal, expiresAt: new Date(claims.exp! * 1000) } : null;
  }

  /** Tokens issued before sessions existed carry no sid; they are refused (and would have expired within the access-token TTL anyway). */
  async principalFromClaims(claims: AccessTokenClaims & { exp?: number }): Promise<Principal | null> {
    if (typeof claims.exp !== 'number' || ![claims.sub, claims.wid, claims.sid].every(isUuid)) return null;
    return this.auth.principalFromAccessToken(claims);
  }
}
