import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Unauthenticated } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { AgentLoginsRepository } from './agent-logins.repository';
import { LoginInput, TokenPairView } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle/login-throttle.service';
import { Principal, Role } from './principal';
import { hashPassword, hashToken, newRefreshToken, verifyPassword } from './secrets';
import { SessionsRepository } from './sessions.repository';

export const JWT_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  wid: string;
  /** The session (refresh-token family) the token belongs to; revoking it ends the token at once. */
  sid: string;
  role: Role;
}

/** Where a login comes from, for throttling by address. */
export interface LoginClient {
  ip: string;
}

// Every refusal reads the same, locked and deactivated accounts included, so that the answer tells a guesser nothing:
// not whether the account exists, nor (while it is locked) whether the password was right.
const LOGIN_REFUSED =
  'The email, password or workspace is not correct, or the account is locked after too many failed logins (an admin can unlock it).';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  // Verifying against a throwaway hash when the agent is unknown keeps the response time from revealing which emails
  // exist; it has the configured cost, like the hashes of real agents.
  private unknownAgentHash: Promise<string> | undefined;

  constructor(
    private readonly transactions: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly agentLogins: AgentLoginsRepository,
    private readonly throttle: LoginThrottleService,
  ) {}

  private hashForUnknownAgent(): Promise<string> {
    return (this.unknownAgentHash ??= hashPassword(randomUUID(), this.config.passwords.scryptCost));
  }

  async login(client: LoginClient, input: LoginInput): Promise<TokenPairView> {
    const attempt = await this.throttle.begin(input.workspace, input.email, client.ip);
    const agent = await this.agentLogins.findForLogin(this.transactions.manager, input.workspace, input.email);
    const valid = await verifyPassword(agent?.passwordHash ?? (await this.hashForUnknownAgent()), input.password);
    if (!agent || !agent.passwordHash || !valid || agent.barred) {
      if (agent && this.throttle.shouldLock(attempt)) {
        const locked = await this.agentLogins.lock(this.transactions.manager, agent.workspaceId, agent.id, this.throttle.lockSeconds);
        if (locked) this.logger.warn({ msg: 'Agent locked after failed logins', workspaceId: agent.workspaceId, agentId: agent.id, failures: attempt.accountFailures });
      }
      throw new Unauthenticated(LOGIN_REFUSED);
    }
    await this.throttle.succeeded(attempt);
    return this.transactions.run(async (manager) => {
      const sessionId = randomUUID();
      await this.sessions.create(manager, agent.workspaceId, sessionId, agent.id);
      return this.issue(manager, agent.workspaceId, agent.id, agent.role, sessionId);
    });
  }

  /** Rotation: each refresh token works once. Presenting a used one ends its whole session, since it was stolen. */
  async refresh(presented: string): Promise<TokenPairView> {
    const pair = await this.transactions.run(async (manager) => {
      const token = await this.sessions.findRefreshable(manager, hashToken(presented));
      if (!token || token.expired || token.ended) throw new Unauthenticated('The refresh token is invalid, expired or revoked. Log in again.');
      if (token.used) {
        await this.sessions.revoke(manager, token.workspaceId, token.sessionId, 'refresh_reuse');
        return null;
      }
      await this.sessions.markUsed(manager, token.workspaceId, token.id);
      return this.issue(manager, token.workspaceId, token.agentId, token.role, token.sessionId);
    });
    if (!pair) throw new Unauthenticated('This refresh token was already used; its session is now ended, access tokens included. Log in again.');
    return pair;
  }

  async logout(presented: string): Promise<void> {
    const session = await this.sessions.findSessionOfToken(this.transactions.manager, hashToken(presented));
    if (!session) return;
    await this.sessions.revoke(this.transactions.manager, session.workspaceId, session.sessionId, 'logout');
  }

  async principalFromAccessToken(claims: AccessTokenClaims): Promise<Principal | null> {
    const agent = await this.sessions.findLiveAgent(this.transactions.manager, claims.wid, claims.sid, claims.sub);
    if (!agent) return null;
    // The role is read from the database, so a demoted agent loses admin rights before the token expires.
    return { workspaceId: claims.wid, role: agent.role, scopes: [], actor: { type: 'agent', id: agent.id, name: agent.name }, agentId: agent.id };
  }

  private async issue(manager: EntityManager, workspaceId: string, agentId: string, role: Role, sessionId: string): Promise<TokenPairView> {
    const claims: AccessTokenClaims = { sub: agentId, wid: workspaceId, sid: sessionId, role };
    const accessToken = jwt.sign(claims, this.config.jwtSecret, {
      algorithm: JWT_ALGORITHM,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
      jwtid: randomUUID(),
    });
    const refreshToken = newRefreshToken();
    await this.sessions.insertRefreshToken(manager, {
      workspaceId,
      id: randomUUID(),
      agentId,
      familyId: sessionId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      usedAt: null,
      createdAt: new Date(),
    });
    return { accessToken, refreshToken, expiresIn: this.config.accessTokenTtlSeconds, tokenType: 'Bearer' };
  }
}
