import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../../../common/pagination/cursor';

export interface MailServerRow {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  passwordSealed: string;
}

export interface MailboxRow {
  workspaceId: string;
  id: string;
  address: string;
  name: string;
  teamId: string | null;
  imap: MailServerRow | null;
  smtp: MailServerRow | null;
  imapUidValidity: number | null;
  imapLastUid: number | null;
  imapPolledAt: Date | null;
  imapError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface RawRow {
  workspace_id: string;
  id: string;
  address: string;
  name: string;
  team_id: string | null;
  imap_host: string | null;
  imap_port: number | null;
  imap_secure: boolean | null;
  imap_user: string | null;
  imap_password_sealed: string | null;
  imap_uid_validity: string | null;
  imap_last_uid: string | null;
  imap_polled_at: Date | null;
  imap_error: string | null;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_secure: boolean | null;
  smtp_user: string | null;
  smtp_password_sealed: string | null;
  created_at: Date;
  updated_at: Date;
}

function server(row: RawRow, prefix: 'imap' | 'smtp'): MailServerRow | null {
  const host = row[`${prefix}_host`];
  if (!host) return null;
  return { host, port: row[`${prefix}_port`]!, secure: row[`${prefix}_secure`]!, user: row[`${prefix}_user`]!, passwordSealed: row[`${prefix}_password_sealed`]! };
}

function toRow(row: RawRow): MailboxRow {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    address: row.address,
    name: row.name,
    teamId: row.team_id,
    imap: server(row, 'imap'),
    smtp: server(row, 'smtp'),
    imapUidValidity: row.imap_uid_validity === null ? null : Number(row.imap_uid_validity),
    imapLastUid: row.imap_last_uid === null ? null : Number(row.imap_last_uid),
    imapPolledAt: row.imap_polled_at,
    imapError: row.imap_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const SORT = 'createdAt';

/** `$1` is the asking instance's holder id, or NULL for one that holds no IDLE leases. */
const FREE_OF_OTHER_HOLDERS = '(imap_idle_holder IS NULL OR imap_idle_holder = $1 OR imap_idle_expires_at <= now())';

/** SQL for mailboxes. Sealed passwords pass through here and nowhere near an API shape. */
@Injectable()
export class MailboxesRepository {
  async insert(manager: EntityManager, row: Omit<MailboxRow, 'imapUidValidity' | 'imapLastUid' | 'imapPolledAt' | 'imapError'>): Promise<MailboxRow> {
    const [inserted]: RawRow[] = await manager.query(
      `INSERT INTO mailboxes (workspace_id, id, address, name, team_id,
         imap_host, imap_port, imap_secure, imap_user, imap_password_sealed,
         smtp_host, smtp_port, smtp_secure, smtp_user, smtp_password_sealed, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING *`,
      [row.workspaceId, row.id, row.address, row.name, row.teamId, ...this.serverValues(row.imap), ...this.serverValues(row.smtp), row.createdAt],
    );
    return toRow(inserted);
  }

  async update(manager: EntityManager, row: MailboxRow, imapChanged: boolean): Promise<MailboxRow> {
    // New IMAP settings may point at another server or account: its UIDs mean nothing against the old cursor.
    const [[updated]]: [RawRow[], number] = await manager.query(
      `UPDATE mailboxes SET address = $3, name = $4, team_id = $5,
         imap_host = $6, imap_port = $7, imap_secure = $8, imap_user = $9, imap_password_sealed = $10,
         smtp_host = $11, smtp_port = $12, smtp_secure = $13, smtp_user = $14, smtp_password_sealed = $15, updated_at = $16,
         imap_uid_validity = CASE WHEN $17 THEN NULL ELSE imap_uid_validity END,
         imap_last_uid = CASE WHEN $17 THEN NULL ELSE imap_last_uid END,
         imap_error = CASE WHEN $17 THEN NULL ELSE imap_error END
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [row.workspaceId, row.id, row.address, row.name, row.teamId, ...this.serverValues(row.imap), ...this.serverValues(row.smtp), row.updatedAt, imapChanged],
    );
    return toRow(updated);
  }

  /** Mailboxes by key after `after` (workspace id, id), with their sealed passwords, for re-sealing. */
  sealedPasswordsPage(manager: EntityManager, after: [string, string] | null, limit: number): Promise<Array<{ workspaceId: string; id: string; imap: string | null; smtp: string | null }>> {
    return manager.query(
      `SELECT workspace_id AS "workspaceId", id, imap_password_sealed AS imap, smtp_password_sealed AS smtp FROM mailboxes
        WHERE ($1::uuid IS NULL OR (workspace_id, id) > ($1::uuid, $2::uuid)) ORDER BY workspace_id, id LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /** Replaces a sealed password only if it is still the one read: one changed through the API meanwhile stays. */
  async replaceSealedPassword(manager: EntityManager, workspaceId: string, id: string, kind: 'imap' | 'smtp', was: string, sealed: string): Promise<void> {
    const column = kind === 'imap' ? 'imap_password_sealed' : 'smtp_password_sealed';
    await manager.query(`UPDATE mailboxes SET ${column} = $4 WHERE workspace_id = $1 AND id = $2 AND ${column} = $3`, [workspaceId, id, was, sealed]);
  }

  async find(manager: EntityManager, workspaceId: string, id: string, lock = false): Promise<MailboxRow | null> {
    const rows: RawRow[] = await manager.query(`SELECT * FROM mailboxes WHERE workspace_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [workspaceId, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    const [, count]: [unknown, number] = await manager.query('DELETE FROM mailboxes WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return count > 0;
  }

  async list(manager: EntityManager, workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<MailboxRow>> {
    const params: unknown[] = [workspaceId, page.limit + 1];
    let after = '';
    if (page.cursor) {
      const position = decodeCursor(page.cursor, SORT, 'timestamp');
      params.push(position.sortValue, position.id);
      after = 'AND (created_at, id) > ($3::timestamptz, $4::uuid)';
    }
    const rows: RawRow[] = await manager.query(
      `SELECT * FROM mailboxes WHERE workspace_id = $1 ${after} ORDER BY created_at, id LIMIT $2`,
      params,
    );
    const data = rows.slice(0, page.limit).map(toRow);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > page.limit ? encodeCursor(SORT, { sortValue: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /** The workspace's mailbox addresses, lower-cased: mail from them is our own and must never open a ticket. */
  async addresses(manager: EntityManager, workspaceId: string): Promise<Array<{ id: string; address: string }>> {
    const rows: Array<{ id: string; address: string }> = await manager.query('SELECT id, lower(address) AS address FROM mailboxes WHERE workspace_id = $1', [workspaceId]);
    return rows;
  }

  /** Mailboxes whose IMAP this instance may poll: any without a live IDLE lease held by another instance. */
  async withImap(manager: EntityManager, holder: string | null = null): Promise<MailboxRow[]> {
    const rows: RawRow[] = await manager.query(
      `SELECT * FROM mailboxes WHERE imap_host IS NOT NULL AND ${FREE_OF_OTHER_HOLDERS} ORDER BY imap_polled_at NULLS FIRST LIMIT 100`,
      [holder],
    );
    return rows.map(toRow);
  }

  /**
   * Claims one poll of a mailbox by moving its polled-at time forward from the value the poller read, so instances
   * polling side by side never read one mailbox at once; an instance holding its IDLE session reads it alone.
   */
  async claimPoll(manager: EntityManager, mailbox: MailboxRow, holder: string | null): Promise<boolean> {
    const [, count]: [unknown[], number] = await manager.query(
      `UPDATE mailboxes SET imap_polled_at = now()
       WHERE workspace_id = $2 AND id = $3 AND imap_polled_at IS NOT DISTINCT FROM $4 AND ${FREE_OF_OTHER_HOLDERS} RETURNING id`,
      [holder, mailbox.workspaceId, mailbox.id, mailbox.imapPolledAt],
    );
    return count > 0;
  }

  async recordPoll(manager: EntityManager, workspaceId: string, id: string, state: { uidValidity?: number; lastUid?: number; error: string | null }): Promise<void> {
    // Within one UIDVALIDITY the cursor only moves forward, even if a read that started earlier finishes later.
    await manager.query(
      `UPDATE mailboxes SET imap_polled_at = now(), imap_error = $3,
         imap_uid_validity = COALESCE($4, imap_uid_validity),
         imap_last_uid = CASE WHEN $5::bigint IS NULL THEN imap_last_uid
                              WHEN $4::bigint IS DISTINCT FROM imap_uid_validity THEN $5::bigint
                              ELSE GREATEST(imap_last_uid, $5::bigint) END
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, state.error, state.uidValidity ?? null, state.lastUid ?? null],
    );
  }

  /** Takes up to `limit` IDLE leases nobody holds (or whose holder let them expire), skipping `excludedIds`. */
  async acquireIdleLeases(manager: EntityManager, holder: string, leaseMs: number, limit: number, excludedIds: string[]): Promise<MailboxRow[]> {
    const [rows]: [RawRow[], number] = await manager.query(
      `WITH free AS (
         SELECT workspace_id, id FROM mailboxes
         WHERE imap_host IS NOT NULL AND (imap_idle_holder IS NULL OR imap_idle_expires_at <= now()) AND id <> ALL($4::uuid[])
         ORDER BY imap_idle_expires_at NULLS FIRST, created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE mailboxes m SET imap_idle_holder = $1, imap_idle_expires_at = now() + $2 * interval '1 millisecond'
       FROM free WHERE m.workspace_id = free.workspace_id AND m.id = free.id RETURNING m.*`,
      [holder, leaseMs, limit, excludedIds],
    );
    return rows.map(toRow);
  }

  /** Extends every lease `holder` still has, answering those mailboxes; a lease another instance took is not among them. */
  async renewIdleLeases(manager: EntityManager, holder: string, leaseMs: number): Promise<MailboxRow[]> {
    const [rows]: [RawRow[], number] = await manager.query(
      `UPDATE mailboxes SET imap_idle_expires_at = now() + $2 * interval '1 millisecond'
       WHERE imap_idle_holder = $1 AND imap_host IS NOT NULL RETURNING *`,
      [holder, leaseMs],
    );
    return rows.map(toRow);
  }

  /** Gives up `holder`'s leases on the given mailboxes, or on all of them, so another instance can take over at once. */
  async releaseIdleLeases(manager: EntityManager, holder: string, ids: string[] | null = null): Promise<void> {
    await manager.query(
      `UPDATE mailboxes SET imap_idle_holder = NULL, imap_idle_expires_at = NULL WHERE imap_idle_holder = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
      [holder, ids],
    );
  }

  /** The instance holding a mailbox's IDLE session and until when, for tests and diagnostics. */
  async idleLease(manager: EntityManager, workspaceId: string, id: string): Promise<{ holder: string | null; expiresAt: Date | null } | null> {
    const rows: Array<{ holder: string | null; expires_at: Date | null }> = await manager.query(
      'SELECT imap_idle_holder AS holder, imap_idle_expires_at AS expires_at FROM mailboxes WHERE workspace_id = $1 AND id = $2',
      [workspaceId, id],
    );
    return rows[0] ? { holder: rows[0].holder, expiresAt: rows[0].expires_at } : null;
  }

  private serverValues(server: MailServerRow | null): unknown[] {
    return server ? [server.host, server.port, server.secure, server.user, server.passwordSealed] : [null, null, null, null, null];
  }
}
