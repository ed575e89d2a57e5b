import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { SessionEndReason } from './entities/session.entity';
import { Principal } from './principal';
import { SessionsRepository } from './sessions.repository';

/** Ending an agent's sessions: their refresh tokens and access tokens stop working on every instance at once. */
@Injectable()
export class SessionsService {
  constructor(private readonly transactions: TransactionRunner, private readonly repository: SessionsRepository) {}

  /** Joins the caller's transaction, so the sessions end exactly when the change that ends them commits. */
  endAllOfAgent(principal: Principal, agentId: string, reason: Extract<SessionEndReason, 'password_changed' | 'deactivated'>): Promise<number> {
    return this.repository.revokeAllOfAgent(this.transactions.manager, principal.workspaceId, agentId, reason);
  }
}
