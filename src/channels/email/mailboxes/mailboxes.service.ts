import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../../auth/principal';
import { Conflict, ResourceNotFound, ValidationFailed } from '../../../common/errors/domain-errors';
import { uniqueViolation } from '../../../common/errors/postgres-errors';
import { Page } from '../../../common/pagination/cursor';
import { TransactionRunner } from '../../../database/transaction-runner';
import { TeamsService } from '../../../teams/teams.service';
import { ChannelSecrets } from '../../mail-secrets';
import { MailServerAddresses } from '../mail-server-addresses';
import { CreateMailboxInput, MailboxView, MailServerInput, MailServerPatch, UpdateMailboxInput } from '../dto/mailbox.dto';
import { MailboxesRepository, MailboxRow, MailServerRow } from './mailboxes.repository';

function serverView(server: MailServerRow | null) {
  return server ? { host: server.host, port: server.port, secure: server.secure, user: server.user, passwordSet: true } : null;
}

export function toMailboxView(row: MailboxRow): MailboxView {
  return {
    id: row.id,
    address: row.address,
    name: row.name,
    teamId: row.teamId,
    imap: serverView(row.imap),
    imapState: { lastUid: row.imapLastUid, lastPolledAt: row.imapPolledAt, lastError: row.imapError },
    smtp: serverView(row.smtp),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Admin-managed mailboxes; their IMAP and SMTP passwords are sealed before they reach the database. */
@Injectable()
export class MailboxesService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly repository: MailboxesRepository,
    private readonly secrets: ChannelSecrets,
    private readonly teams: TeamsService,
    private readonly addresses: MailServerAddresses,
  ) {}

  list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<MailboxView>> {
    return this.repository.list(this.transactions.manager, principal.workspaceId, { limit: page.limit ?? 25, cursor: page.cursor })
      .then((result) => ({ data: result.data.map(toMailboxView), nextCursor: result.nextCursor }));
  }

  async get(principal: Principal, id: string): Promise<MailboxView> {
    return toMailboxView(await this.find(principal, id));
  }

  async find(principal: Principal, id: string): Promise<MailboxRow> {
    const row = await this.repository.find(this.transactions.manager, principal.workspaceId, id);
    if (!row) throw new ResourceNotFound('mailbox', id);
    return row;
  }

  async create(principal: Principal, input: CreateMailboxInput): Promise<MailboxView> {
    await this.assertServersPermitted(input);
    return this.unique(() => this.transactions.run(async (manager) => {
      if (input.teamId) await this.teams.assertExists(principal, input.teamId, 'teamId');
      const id = randomUUID();
      const now = this.clock.now();
      const row = await this.repository.insert(manager, {
        workspaceId: principal.workspaceId,
        id,
        address: input.address.toLowerCase(),
        name: input.name,
        teamId: input.teamId ?? null,
        imap: input.imap ? this.sealServer(principal, 'imap', id, input.imap, null) : null,
        smtp: input.smtp ? this.sealServer(principal, 'smtp', id, input.smtp, null) : null,
        createdAt: now,
        updatedAt: now,
      });
      return toMailboxView(row);
    }));
  }

  async update(principal: Principal, id: string, input: UpdateMailboxInput): Promise<MailboxView> {
    await this.assertServersPermitted(input);
    return this.unique(() => this.transactions.run(async (manager) => {
      const row = await this.repository.find(manager, principal.workspaceId, id, true);
      if (!row) throw new ResourceNotFound('mailbox', id);
      if (input.teamId) await this.teams.assertExists(principal, input.teamId, 'teamId');
      const imap = input.imap === undefined ? row.imap : input.imap === null ? null : this.sealServer(principal, 'imap', id, input.imap, row.imap);
      const smtp = input.smtp === undefined ? row.smtp : input.smtp === null ? null : this.sealServer(principal, 'smtp', id, input.smtp, row.smtp);
      const imapChanged = input.imap !== undefined && (imap?.host !== row.imap?.host || imap?.port !== row.imap?.port || imap?.user !== row.imap?.user);
      const updated = await this.repository.update(manager, {
        ...row,
        address: input.address?.toLowerCase() ?? row.address,
        name: input.name ?? row.name,
        teamId: input.teamId === undefined ? row.teamId : input.teamId,
        imap,
        smtp,
        updatedAt: this.clock.now(),
      }, imapChanged);
      return toMailboxView(updated);
    }));
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const deleted = await this.repository.delete(this.transactions.manager, principal.workspaceId, id);
    if (!deleted) throw new ResourceNotFound('mailbox', id);
  }

  /** The plain password of a mailbox's server, for the IMAP poller and the SMTP sender only. */
  password(workspaceId: string, mailboxId: string, kind: 'imap' | 'smtp', server: MailServerRow): string {
    return this.secrets.open(workspaceId, kind, mailboxId, server.passwordSealed);
  }

  /** The servers' addresses are checked again at every connection; this refuses them before anything is stored. */
  private async assertServersPermitted(input: { imap?: { host: string } | null; smtp?: { host: string } | null }): Promise<void> {
    if (input.imap) await this.addresses.assertPermitted('imap.host', input.imap.host);
    if (input.smtp) await this.addresses.assertPermitted('smtp.host', input.smtp.host);
  }

  private sealServer(principal: Principal, kind: 'imap' | 'smtp', id: string, input: MailServerInput | MailServerPatch, current: MailServerRow | null): MailServerRow {
    let passwordSealed: string;
    if (input.password !== undefined) passwordSealed = this.secrets.seal(principal.workspaceId, kind, id, input.password);
    else if (current) passwordSealed = current.passwordSealed;
    else throw ValidationFailed.field(`${kind}.password`, 'is required when the mailbox has no stored password');
    return { host: input.host, port: input.port, secure: input.secure, user: input.user, passwordSealed };
  }

  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (uniqueViolation(error) === 'mailboxes_workspace_address_key') {
        throw new Conflict('A mailbox with this address already exists in this workspace.', 'mailbox_address_taken');
      }
      throw error;
    }
  }
}
