import { Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { ApiKeysService } from '../../auth/api-keys.service';
import { AccessTokenClaims, AuthService } from '../../auth/auth.service';
import { Principal } from '../../auth/principal';
import { PortalAuthService } from '../../channels/portal/portal-auth.service';
import { PortalSession } from '../../channels/portal/portal-session';
import { DomainError } from '../../common/errors/domain-errors';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** What a stream's credential still allows: null when it no longer admits this caller. */
export type Recheck = () => Promise<'revoked' | null>;

export interface KeptAccess {
  recheck: Recheck;
  /** When the credential itself expires (a token's exp), in epoch milliseconds; null for API keys. */
  expiresAt: number | null;
}

function expiryOf(token: string): number | null {
  const claims = jwt.decode(token);
  return claims && typeof claims === 'object' && typeof claims.exp === 'number' ? claims.exp * 1000 : null;
}

/**
 * Authorization that a stream keeps, not only checks at connect: the credential the stream opened with is checked
 * again (a revoked key, an ended session, a deactivated or demoted agent, a deleted contact close the stream).
 * The signature was verified by the guard at connect; here the token's claims only say what to look up again.
 */
@Injectable()
export class StreamAccess {
  constructor(private readonly apiKeys: ApiKeysService, private readonly auth: AuthService, private readonly portalAuth: PortalAuthService) {}

  forAgent(principal: Principal, credential: string): KeptAccess {
    if (JWT_SHAPE.test(credential)) {
      const claims = jwt.decode(credential) as AccessTokenClaims;
      return {
        expiresAt: expiryOf(credential),
        recheck: async () => this.same(principal, await this.auth.principalFromAccessToken(claims)),
      };
    }
    return { expiresAt: null, recheck: async () => this.same(principal, await this.apiKeys.authenticate(credential)) };
  }

  forRequester(session: PortalSession, token: string): KeptAccess {
    return {
      expiresAt: expiryOf(token),
      recheck: async () => {
        try {
          const now = await this.portalAuth.authenticate(token);
          return now.workspaceId === session.workspaceId && now.contactId === session.contactId ? null : 'revoked';
        } catch (error) {
          if (error instanceof DomainError && error.status === 401) return 'revoked';
          throw error;
        }
      },
    };
  }

  private same(before: Principal, now: Principal | null): 'revoked' | null {
    return now && now.workspaceId === before.workspaceId && now.role === before.role && now.actor.id === before.actor.id ? null : 'revoked';
  }
}
