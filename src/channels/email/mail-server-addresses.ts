import { Inject, Injectable } from '@nestjs/common';
import { ValidationFailed } from '../../common/errors/domain-errors';
import { ForbiddenAddressError, forbiddenResolution, permittedAddress } from '../../common/network/guarded-lookup';
import { hostProblem } from '../../common/network/host-policy';
import { ipAddressOf } from '../../common/network/ip-address';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export type MailServerKind = 'imap' | 'smtp';

/** Where a mail client connects: a checked address, and the name its TLS certificate must carry when one was given. */
export interface MailServerTarget {
  host: string;
  servername?: string;
}

/** A mailbox's server is on an address the policy refuses. Says nothing of what, if anything, listens there. */
export class RefusedMailServer extends Error {
  constructor(kind: MailServerKind) {
    super(`refused: the ${kind.toUpperCase()} host is, or resolves to, a loopback, private, link-local or metadata address; no connection was made`);
  }
}

/**
 * The webhooks' address policy applied to mailbox servers: checked when a mailbox is saved, and again on every
 * connection after DNS resolution, connecting to the address that was checked so a rebound name cannot slip through.
 * MAIL_ALLOW_PRIVATE=true turns both checks off for local development and tests.
 */
@Injectable()
export class MailServerAddresses {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async assertPermitted(field: string, host: string): Promise<void> {
    const policy = this.config.mailSecurity;
    const problem = hostProblem(host, policy);
    if (problem) throw ValidationFailed.field(field, problem);
    if (!policy.allowPrivateAddresses && ipAddressOf(host) === null) {
      const refused = await forbiddenResolution(host);
      if (refused) throw ValidationFailed.field(field, refused);
    }
  }

  /** Throws RefusedMailServer for a forbidden address, or the resolver's error for a name that does not resolve. */
  async connectTarget(kind: MailServerKind, host: string): Promise<MailServerTarget> {
    const literal = ipAddressOf(host);
    if (this.config.mailSecurity.allowPrivateAddresses) return { host: literal ?? host };
    try {
      const { address } = await permittedAddress(host);
      return literal !== null ? { host: address } : { host: address, servername: host.replace(/\.$/, '') };
    } catch (error) {
      if (error instanceof ForbiddenAddressError) throw new RefusedMailServer(kind);
      throw error;
    }
  }
}
