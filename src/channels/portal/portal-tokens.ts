import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { isUuid } from '../../common/ids';

/** Both kinds of portal token carry this audience; agent tokens carry the API audience, so neither passes for the other. */
export const PORTAL_AUDIENCE = 'deskline-portal';
/** Pinned: a token naming any other algorithm (none, RS256 with the secret as a public key, HS512) is refused. */
export const PORTAL_ALGORITHM = 'HS256';
/** Slack for clocks of integrators' servers; small next to any token lifetime. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Who a verified portal token speaks for, before the contact is looked up. */
export type PortalIdentity =
  | { kind: 'minted'; workspaceId: string; contactId: string }
  | { kind: 'integrator'; workspaceId: string; externalId: string; email: string | null; name: string | null };

export class PortalTokenRejected extends Error {}

/**
 * Minted tokens are signed with a key derived from the instance's JWT secret rather than the secret itself: even if
 * an operator set JWT_AUDIENCE to the portal audience, an agent token and a portal token could never verify as each other.
 */
export function mintedTokenKey(instanceJwtSecret: string): Buffer {
  return createHmac('sha256', instanceJwtSecret).update('deskline/portal-token/v1').digest();
}

/** The per-workspace secret integrators sign with; 256 random bits, shown once. */
export function newPortalSecret(): string {
  return 'dps_' + randomBytes(32).toString('base64url');
}

/**
 * A stateless JWT rather than an opaque token stored in a table: any instance verifies it without a database write,
 * and a short lifetime bounds what a leaked one can do. The contact is still looked up on every request, so deleting
 * the contact ends its sessions at once.
 */
export function mintPortalToken(key: Buffer, issuer: string, claims: { workspaceId: string; contactId: string }, ttlSeconds: number): string {
  return jwt.sign({ wid: claims.workspaceId }, key, {
    algorithm: PORTAL_ALGORITHM,
    subject: claims.contactId,
    issuer,
    audience: PORTAL_AUDIENCE,
    expiresIn: ttlSeconds,
    jwtid: randomUUID(),
  });
}

/** The claims read before the signature is checked: only to pick the key. Nothing here is trusted. */
export function unverifiedRouting(token: string, ourIssuer: string): { minted: boolean; workspaceId: string } {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.header.alg !== PORTAL_ALGORITHM) {
    throw new PortalTokenRejected('not an HS256 JWT');
  }
  const wid = decoded.payload.wid;
  if (!isUuid(wid)) {
    throw new PortalTokenRejected('no wid claim naming a workspace id');
  }
  return { minted: decoded.payload.iss === ourIssuer, workspaceId: wid.toLowerCase() };
}

function verified(token: string, key: Buffer | string, options: jwt.VerifyOptions): jwt.JwtPayload {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, { ...options, algorithms: [PORTAL_ALGORITHM], audience: PORTAL_AUDIENCE, clockTolerance: CLOCK_TOLERANCE_SECONDS });
  } catch (error) {
    throw new PortalTokenRejected((error as Error).message);
  }
  if (typeof payload !== 'object' || typeof payload.exp !== 'number') throw new PortalTokenRejected('no exp claim');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) throw new PortalTokenRejected('no usable sub claim');
  return payload;
}

export function verifyMintedToken(token: string, key: Buffer, issuer: string, workspaceId: string): PortalIdentity {
  const payload = verified(token, key, { issuer });
  return { kind: 'minted', workspaceId, contactId: payload.sub! };
}

/**
 * Integrators' tokens must expire within the portal token lifetime: a secret holder cannot hand out tokens that
 * outlive what the helpdesk itself would issue.
 */
export function verifyIntegratorToken(token: string, secret: string, workspaceId: string, maxLifetimeSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): PortalIdentity {
  const payload = verified(token, secret, {});
  if (payload.exp! > nowSeconds + maxLifetimeSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw new PortalTokenRejected(`exp is more than ${maxLifetimeSeconds} seconds away`);
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  return { kind: 'integrator', workspaceId, externalId: payload.sub!, email: text(payload.email), name: text(payload.name) };
}
