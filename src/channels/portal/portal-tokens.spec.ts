import * as jwt from 'jsonwebtoken';
import {
  mintedTokenKey, mintPortalToken, PORTAL_AUDIENCE, PortalTokenRejected, unverifiedRouting, verifyIntegratorToken, verifyMintedToken,
} from './portal-tokens';

const WORKSPACE = '11111111-1111-4111-8111-111111111111';
const CONTACT = '22222222-2222-4222-8222-222222222222';
const SECRET = 'dps_integrator-secret';

describe('portal tokens', () => {
  const key = mintedTokenKey('an-instance-secret-that-is-long-enough');
  const integrator = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    jwt.sign({ wid: WORKSPACE, ...claims }, SECRET, { algorithm: 'HS256', audience: PORTAL_AUDIENCE, expiresIn: 300, ...options });

  it('derives a minting key distinct from the instance secret', () => {
    expect(key.toString('utf8')).not.toContain('an-instance-secret');
    expect(key).toHaveLength(32);
  });

  it('round-trips a minted token, routed by our issuer', () => {
    const token = mintPortalToken(key, 'deskline', { workspaceId: WORKSPACE, contactId: CONTACT }, 600);
    expect(unverifiedRouting(token, 'deskline')).toEqual({ minted: true, workspaceId: WORKSPACE });
    expect(verifyMintedToken(token, key, 'deskline', WORKSPACE)).toEqual({ kind: 'minted', workspaceId: WORKSPACE, contactId: CONTACT });
    expect(() => verifyMintedToken(token, key, 'someone-else', WORKSPACE)).toThrow(PortalTokenRejected);
  });

  it('reads integrator claims and bounds their lifetime', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verifyIntegratorToken(integrator({ sub: 'ext-1', email: ' a@b.co ', name: '' }), SECRET, WORKSPACE, 3600, now))
      .toEqual({ kind: 'integrator', workspaceId: WORKSPACE, externalId: 'ext-1', email: 'a@b.co', name: null });
    expect(() => verifyIntegratorToken(integrator({ sub: 'ext-1' }, { expiresIn: 7200 }), SECRET, WORKSPACE, 3600, now)).toThrow(/more than 3600/);
    expect(() => verifyIntegratorToken(jwt.sign({ wid: WORKSPACE, sub: 'x', aud: PORTAL_AUDIENCE }, SECRET), SECRET, WORKSPACE, 3600, now)).toThrow(/exp/);
    expect(() => verifyIntegratorToken(integrator({}), SECRET, WORKSPACE, 3600, now)).toThrow(/sub/);
  });

  it('refuses other algorithms and tokens without a workspace before looking up any key', () => {
    expect(() => unverifiedRouting(jwt.sign({ wid: WORKSPACE }, SECRET, { algorithm: 'HS384' }), 'deskline')).toThrow(PortalTokenRejected);
    expect(() => unverifiedRouting(jwt.sign({ sub: 'x' }, SECRET, { algorithm: 'HS256' }), 'deskline')).toThrow(/wid/);
    expect(() => unverifiedRouting(jwt.sign({ wid: 'default' }, SECRET, { algorithm: 'HS256' }), 'deskline')).toThrow(/wid/);
    expect(() => unverifiedRouting('garbage', 'deskline')).toThrow(PortalTokenRejected);
  });
});
