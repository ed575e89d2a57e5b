import { Inject, Injectable, Logger } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { Principal, systemPrincipal } from '../../auth/principal';
import { Conflict, ResourceNotFound, Unauthenticated, ValidationFailed } from '../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ContactsService } from '../../contacts/contacts.service';
import { ContactView } from '../../contacts/dto/contact.dto';
import { TransactionRunner } from '../../database/transaction-runner';
import { ChannelSecrets } from '../mail-secrets';
import { PortalSecretStatusView, PortalSecretView, PortalTokenView } from './dto/portal.dto';
import { PortalSession } from './portal-session';
import { PortalSettingsRepository } from './portal-settings.repository';
import {
  mintedTokenKey, mintPortalToken, newPortalSecret, PORTAL_ALGORITHM, PORTAL_AUDIENCE, PortalIdentity, PortalTokenRejected, unverifiedRouting,
  verifyIntegratorToken, verifyMintedToken,
} from './portal-tokens';

export const PORTAL_SECRET_PURPOSE = 'portal-jwt';
const REJECTED = 'The portal token is invalid, expired or not for this portal. Get a new one from the application that signed you in.';

/** Portal tokens: minted by an admin key, or signed by the integrator with the workspace's portal secret. */
@Injectable()
export class PortalAuthService {
  private readonly logger = new Logger(PortalAuthService.name);
  private readonly mintingKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly settings: PortalSettingsRepository,
    private readonly secrets: ChannelSecrets,
    private readonly contacts: ContactsService,
  ) {
    this.mintingKey = mintedTokenKey(config.jwtSecret);
  }

  async mint(principal: Principal, contactId: string): Promise<PortalTokenView> {
    const contact = await this.contacts.get(principal, contactId).catch((error: unknown) => {
      if (error instanceof ResourceNotFound) throw ValidationFailed.field('contactId', `no contact with id ${contactId} exists in this workspace`);
      throw error;
    });
    const ttl = this.config.channels.portalTokenTtlSeconds;
    const token = mintPortalToken(this.mintingKey, this.config.jwtIssuer, { workspaceId: principal.workspaceId, contactId: contact.id }, ttl);
    return { token, tokenType: 'Bearer', expiresIn: ttl, expiresAt: new Date(Date.now() + ttl * 1000), contactId: contact.id };
  }

  async secretStatus(principal: Principal): Promise<PortalSecretStatusView> {
    const row = await this.settings.find(this.transactions.manager, principal.workspaceId);
    return { configured: Boolean(row?.secretSealed), updatedAt: row?.updatedAt ?? null };
  }

  /** Creates or rotates the secret; tokens signed with the previous one stop working at once. */
  async rotateSecret(principal: Principal): Promise<PortalSecretView> {
    const secret = newPortalSecret();
    const now = new Date();
    const sealed = this.secrets.seal(principal.workspaceId, PORTAL_SECRET_PURPOSE, principal.workspaceId, secret);
    await this.transactions.run((manager) => this.settings.storeSecret(manager, principal.workspaceId, sealed, now));
    this.logger.log({ msg: 'Portal secret rotated', workspaceId: principal.workspaceId, actor: principal.actor.id });
    return {
      secret,
      algorithm: PORTAL_ALGORITHM,
      audience: PORTAL_AUDIENCE,
      workspaceId: principal.workspaceId,
      maxTokenLifetimeSeconds: this.config.channels.portalTokenTtlSeconds,
      createdAt: now,
    };
  }

  async removeSecret(principal: Principal): Promise<void> {
    await this.transactions.run((manager) => this.settings.storeSecret(manager, principal.workspaceId, null, new Date()));
  }

  /** Every failure reads the same to the caller; the reason goes to the debug log only (never the token). */
  async authenticate(token: string): Promise<PortalSession> {
    let identity: PortalIdentity;
    try {
      identity = await this.verify(token);
    } catch (error) {
      if (!(error instanceof PortalTokenRejected)) throw error;
      this.logger.debug({ msg: 'Portal token rejected', reason: error.message });
      throw new Unauthenticated(REJECTED);
    }
    const contact = identity.kind === 'minted' ? await this.mintedContact(identity) : await this.integratorContact(identity);
    if (!contact) throw new Unauthenticated(REJECTED);
    return { workspaceId: identity.workspaceId, contactId: contact.id, contactName: contact.name ?? contact.email };
  }

  private async verify(token: string): Promise<PortalIdentity> {
    const routing = unverifiedRouting(token, this.config.jwtIssuer);
    if (routing.minted) return verifyMintedToken(token, this.mintingKey, this.config.jwtIssuer, routing.workspaceId);
    const row = await this.settings.find(this.transactions.manager, routing.workspaceId);
    if (!row?.secretSealed) throw new PortalTokenRejected('the workspace has no portal secret');
    const secret = this.secrets.open(routing.workspaceId, PORTAL_SECRET_PURPOSE, routing.workspaceId, row.secretSealed);
    return verifyIntegratorToken(token, secret, routing.workspaceId, this.config.channels.portalTokenTtlSeconds);
  }

  private async mintedContact(identity: Extract<PortalIdentity, { kind: 'minted' }>): Promise<ContactView | null> {
    return this.contacts.get(systemPrincipal(identity.workspaceId), identity.contactId).catch((error: unknown) => {
      if (error instanceof ResourceNotFound) return null;
      throw error;
    });
  }

  /**
   * The contact whose externalId is the token's sub, created on first use from the email and name claims. The
   * integrator vouches for the email by signing it, so an existing contact with that email and no externalId (one
   * who wrote in by email, say) is linked rather than duplicated; one already linked to another externalId is not.
   */
  private async integratorContact(identity: Extract<PortalIdentity, { kind: 'integrator' }>): Promise<ContactView> {
    const principal = systemPrincipal(identity.workspaceId);
    const byExternalId = async () => (await this.contacts.list(principal, { externalId: identity.externalId, limit: 1 })).data[0] ?? null;
    const existing = await byExternalId();
    if (existing) return existing;
    if (identity.email !== null && (!isEmail(identity.email) || identity.email.length > 320)) throw new Unauthenticated('The portal token\'s email claim is not a valid email address.');
    const name = identity.name?.slice(0, 200) ?? undefined;
    if (identity.email) {
      const [sameEmail] = (await this.contacts.list(principal, { email: identity.email.toLowerCase(), limit: 1 })).data;
      if (sameEmail?.externalId === null) return this.contacts.update(principal, sameEmail.id, { externalId: identity.externalId, name: sameEmail.name ?? name });
      if (sameEmail) throw new Conflict('Another contact of this workspace already has this email under a different externalId.', 'portal_identity_conflict', { field: 'email' });
    }
    try {
      return await this.contacts.create(principal, { externalId: identity.externalId, email: identity.email ?? undefined, name });
    } catch (error) {
      // Two first requests at once: the loser finds the winner's contact.
      if (error instanceof Conflict) {
        const created = await byExternalId();
        if (created) return created;
      }
      throw error;
    }
  }
}
