import { EntityManager } from 'typeorm';

const RETENTION_HOURS = 24;

export interface RecordedResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

export interface ResponseToRecord {
  workspaceId: string;
  callerId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  status: number;
  body: unknown;
}

/** The idempotency_keys table (common owns it: the interceptor is its only user). Stateless, so the interceptor builds its own. */
export class IdempotencyKeysRepository {
  /** Takes the key's lock for the rest of the transaction; false when another request holds it. */
  async tryLock(manager: EntityManager, workspaceId: string, callerId: string, key: string): Promise<boolean> {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [`${workspaceId}|${callerId}|${key}`]);
    return locked;
  }

  /** The response recorded for this caller's key, unless it has expired. */
  async findUnexpired(manager: EntityManager, workspaceId: string, callerId: string, key: string): Promise<RecordedResponse | null> {
    const [previous] = await manager.query(
      `SELECT request_hash AS "requestHash", response_status AS "status", response_body AS "body"
         FROM idempotency_keys WHERE workspace_id = $1 AND principal_id = $2 AND key = $3 AND expires_at > now()`,
      [workspaceId, callerId, key],
    );
    return previous ?? null;
  }

  /** Records (or replaces an expired record of) the response, kept for RETENTION_HOURS. */
  async record(manager: EntityManager, response: ResponseToRecord): Promise<void> {
    await manager.query(
      `INSERT INTO idempotency_keys (workspace_id, principal_id, key, method, path, request_hash, response_status, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(hours => $9))
       ON CONFLICT (workspace_id, principal_id, key) DO UPDATE
         SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [
        response.workspaceId, response.callerId, response.key, response.method, response.path, response.requestHash, response.status,
        response.body === undefined ? null : JSON.stringify(response.body), RETENTION_HOURS,
      ],
    );
  }
}
