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
      const position = decodeCursor(page.cursor, SORT);
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

  async withImap(manager: EntityManager): Promise<MailboxRow[]> {
    const rows: RawRow[] = await manager.query('SELECT * FROM mailboxes WHERE imap_host IS NOT NULL ORDER BY imap_polled_at NULLS FIRST LIMIT 100');
    return rows.map(toRow);
  }

  async recordPoll(manager: EntityManager, workspaceId: string, id: string, state: { uidValidity?: number; lastUid?: number; error: string | null }): Promise<void> {
    await manager.query(
      `UPDATE mailboxes SET imap_polled_at = now(), imap_error = $3,
         imap_uid_validity = COALESCE($4, imap_uid_validity), imap_last_uid = COALESCE($5, imap_last_uid)
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, state.error, state.uidValidity ?? null, state.lastUid ?? null],
    );
  }

  private serverValues(server: MailServerRow | null): unknown[] {
    return server ? [server.host, server.port, server.secure, server.user, server.passwordSealed] : [null, null, null, null, null];
  }
}
