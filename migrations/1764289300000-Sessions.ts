import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session is a refresh-token family, now a row of its own so that every request with an access token can check it
 * by primary key (the token carries its id as `sid`): revoking the row ends the access tokens at once, on every
 * instance. Existing families become sessions, so refresh tokens issued before this change keep working; their
 * revocation moves from each token to the session. Agents gain deactivation and a login lock; failed logins are
 * counted in login_throttle, keyed by account and by address before any workspace is known, hence no workspace_id.
 */
export class Sessions1764289300000 implements MigrationInterface {
  name = 'Sessions1764289300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sessions (
        workspace_id uuid NOT NULL,
        id uuid NOT NULL,
        agent_id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        revoked_reason text CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'password_changed', 'deactivated')),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX sessions_agent_idx ON sessions (workspace_id, agent_id) WHERE revoked_at IS NULL`);
    await db.query(`
      INSERT INTO sessions (workspace_id, id, agent_id, created_at, revoked_at, revoked_reason)
      SELECT workspace_id, family_id, min(agent_id::text)::uuid, min(created_at), max(revoked_at), NULL
        FROM refresh_tokens GROUP BY workspace_id, family_id`);
    await db.query(`
      ALTER TABLE refresh_tokens
        ADD CONSTRAINT refresh_tokens_session_fkey FOREIGN KEY (workspace_id, family_id) REFERENCES sessions(workspace_id, id) ON DELETE CASCADE`);
    await db.query(`ALTER TABLE refresh_tokens DROP COLUMN revoked_at`);

    await db.query(`
      ALTER TABLE agents
        ADD COLUMN deactivated_at timestamptz(3),
        ADD COLUMN locked_at timestamptz(3),
        ADD COLUMN locked_until timestamptz(3)`);

    await db.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures >= 0),
        last_failure_at timestamptz(3) NOT NULL,
        blocked_until timestamptz(3)
      )`);
    await db.query(`CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_throttle`);
    await db.query(`ALTER TABLE agents DROP COLUMN deactivated_at, DROP COLUMN locked_at, DROP COLUMN locked_until`);
    await db.query(`ALTER TABLE refresh_tokens ADD COLUMN revoked_at timestamptz(3)`);
    await db.query(`
      UPDATE refresh_tokens t SET revoked_at = s.revoked_at
        FROM sessions s WHERE s.workspace_id = t.workspace_id AND s.id = t.family_id AND s.revoked_at IS NOT NULL`);
    await db.query(`ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session_fkey`);
    await db.query(`DROP TABLE sessions`);
  }
}
