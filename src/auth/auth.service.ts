import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Unauthenticated } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { LoginInput, TokenPairView } from './dto/login.dto';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { Principal, Role } from './principal';
import { hashPassword, hashToken, newRefreshToken, verifyPassword } from './secrets';

export const JWT_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  wid: string;
  role: Role;
}

// Verifying against a throwaway hash when the agent is unknown keeps the response time from revealing which emails exist.
let unknownAgentHash: Promise<string> | undefined;
const hashForUnknownAgent = () => (unknownAgentHash ??= hashPassword(randomUUID()));

@Injectable()
export class AuthService {
  constructor(
    private readonly transactions: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(input: LoginInput): Promise<TokenPairView> {
    const [agent] = await this.transactions.manager.query(
      `SELECT a.workspace_id AS "workspaceId", a.id, a.role, a.password_hash AS "passwordHash"
         FROM agents a JOIN workspaces w ON w.id = a.workspace_id
        WHERE w.slug = $1 AND a.email = $2`,
      [input.workspace, input.email],
    );
    const valid = await verifyPassword(agent?.passwordHash ?? (await hashForUnknownAgent()), input.password);
    if (!agent || !agent.passwordHash || !valid) throw new Unauthenticated('The email, password or workspace is not correct.');
    return this.issue(agent.workspaceId, agent.id, agent.role, randomUUID());
  }

  /** Rotation: each refresh token works once. Presenting a used one revokes its whole family, since it was stolen. */
  async refresh(presented: string): Promise<TokenPairView> {
    return this.transactions.run(async (manager) => {
      const token = await manager.findOne(RefreshTokenEntity, { where: { tokenHash: hashToken(presented) }, lock: { mode: 'pessimistic_write' } });
      if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) {
        throw new Unauthenticated('The refresh token is invalid, expired or revoked. Log in again.');
      }
      if (token.usedAt) {
        await manager.update(RefreshTokenEntity, { workspaceId: token.workspaceId, familyId: token.familyId }, { revokedAt: new Date() });
        return null;
      }
      const [agent] = await manager.query('SELECT role FROM agents WHERE workspace_id = $1 AND id = $2', [token.workspaceId, token.agentId]);
      if (!agent) throw new Unauthenticated('The agent of this refresh token no longer exists.');
      await manager.update(RefreshTokenEntity, { workspaceId: token.workspaceId, id: token.id }, { usedAt: new Date() });
      return this.issue(token.workspaceId, token.agentId, agent.role, token.familyId);
    }).then((pair) => {
      if (!pair) throw new Unauthenticated('This refresh token was already used; every token of its session is now revoked. Log in again.');
      return pair;
    });
  }

  async logout(presented: string): Promise<void> {
    const token = await this.transactions.manager.findOne(RefreshTokenEntity, { where: { tokenHash: hashToken(presented) } });
    if (!token) return;
    await this.transactions.manager.update(RefreshTokenEntity, { workspaceId: token.workspaceId, familyId: token.familyId }, { revokedAt: new Date() });
  }

  async principalFromAccessToken(claims: AccessTokenClaims): Promise<Principal | null> {
    const [agent] = await this.transactions.manager.query('SELECT id, name, role FROM agents WHERE workspace_id = $1 AND id = $2', [claims.wid, claims.sub]);
    if (!agent) return null;
    // The role is read from the database, so a demoted agent loses admin rights before the token expires.
    return { workspaceId: claims.wid, role: agent.role, scopes: [], actor: { type: 'agent', id: agent.id, name: agent.name }, agentId: agent.id };
  }

  private async issue(workspaceId: string, agentId: string, role: Role, familyId: string): Promise<TokenPairView> {
    const claims: AccessTokenClaims = { sub: agentId, wid: workspaceId, role };
    const accessToken = jwt.sign(claims, this.config.jwtSecret, {
      algorithm: JWT_ALGORITHM,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
      jwtid: randomUUID(),
    });
    const refreshToken = newRefreshToken();
    await this.transactions.manager.insert(RefreshTokenEntity, {
      workspaceId,
      id: randomUUID(),
      agentId,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
      createdAt: new Date(),
    });
    return { accessToken, refreshToken, expiresIn: this.config.accessTokenTtlSeconds, tokenType: 'Bearer' };
  }
}
