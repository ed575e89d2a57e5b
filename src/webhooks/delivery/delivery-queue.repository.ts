import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EndpointAnswer } from './endpoint-client';
import type { WebhookEndpointPayload } from '../../events/event-map';

export interface ClaimedDelivery {
  workspaceId: string;
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  /** Attempts made before this one in the current round. */
  attemptCount: number;
  leaseToken: string;
  url: string;
  secretCiphertext: string;
  /** Set only while a rotated-out secret still signs. */
  previousSecretCiphertext: string | null;
}

export interface EndpointHealth {
  enabled: boolean;
  failingSince: Date | null;
  now: Date;
}

// How many of the earliest due deliveries one claim looks at when spreading work across endpoints.
const CLAIM_WINDOW = 1000;

/** The delivery queue: claims due work with a lease, and settles each attempt. Every statement here is hot. */
@Injectable()
export class DeliveryQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due deliveries, at most `perEndpoint` per subscription counting `busy` (attempts this
   * instance already runs). SKIP LOCKED lets instances claim side by side; the lease (a later next_attempt_at and a
   * token) hands a crashed instance's deliveries to another once it runs out.
   */
  async claim(limit: number, perEndpoint: number, busy: ReadonlyMap<string, number>, leaseMs: number): Promise<ClaimedDelivery[]> {
    const saturated = [...busy].filter(([, count]) => count >= perEndpoint).map(([id]) => id);
    const busyIds = [...busy.keys()];
    const busyCounts = busyIds.map((id) => busy.get(id)!);
    // An UPDATE answers [rows, affected count] through TypeORM.
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH window_rows AS (
         SELECT d.workspace_id, d.id, d.subscription_id, d.next_attempt_at
           FROM webhook_deliveries d
           JOIN webhook_subscriptions s ON s.workspace_id = d.workspace_id AND s.id = d.subscription_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND (s.enabled OR d.event_type = 'webhook.ping')
            AND d.subscription_id <> ALL ($3::uuid[])
          ORDER BY d.next_attempt_at
          LIMIT ${CLAIM_WINDOW}
       ), ranked AS (
         SELECT w.workspace_id, w.id, w.next_attempt_at,
                row_number() OVER (PARTITION BY w.workspace_id, w.subscription_id ORDER BY w.next_attempt_at, w.id) + COALESCE(b.count, 0) AS slot
           FROM window_rows w
           LEFT JOIN unnest($4::uuid[], $5::int[]) AS b(subscription_id, count) ON b.subscription_id = w.subscription_id
       ), due AS (
         SELECT d.workspace_id, d.id
           FROM webhook_deliveries d
           JOIN ranked r ON r.workspace_id = d.workspace_id AND r.id = d.id
          WHERE r.slot <= $2 AND d.status = 'pending' AND d.next_attempt_at <= now()
          ORDER BY r.next_attempt_at
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE webhook_deliveries d
          SET next_attempt_at = now() + make_interval(secs => $6::double precision / 1000), lease_token = gen_random_uuid(), updated_at = now()
         FROM due, webhook_subscriptions s
        WHERE d.workspace_id = due.workspace_id AND d.id = due.id AND s.workspace_id = d.workspace_id AND s.id = d.subscription_id
       RETURNING d.workspace_id AS "workspaceId", d.id, d.subscription_id AS "subscriptionId", d.event_id AS "eventId", d.event_type AS "eventType",
                 d.payload, d.attempt_count AS "attemptCount", d.lease_token AS "leaseToken", s.url, s.secret_ciphertext AS "secretCiphertext",
                 CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_ciphertext END AS "previousSecretCiphertext"`,
      [limit, perEndpoint, saturated, busyIds, busyCounts, leaseMs],
    );
    return rows;
  }

  /** Gives an unfinished attempt back (the instance is stopping): due again at once, and not counted. */
  async release(delivery: ClaimedDelivery): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now(), lease_token = NULL, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND lease_token = $3`,
      [delivery.workspaceId, delivery.id, delivery.leaseToken],
    );
  }

  /**
   * Records a batch of successful attempts in one statement (one commit instead of one per delivery), for those
   * whose lease this instance still holds, and clears their endpoints' failure record.
   */
  async settleSucceeded(batch: Array<{ delivery: ClaimedDelivery; attemptedAt: Date; answer: EndpointAnswer }>): Promise<void> {
    if (batch.length === 0) return;
    const column = <T>(pick: (entry: (typeof batch)[number]) => T) => batch.map(pick);
    await this.dataSource.query(
      `WITH outcome AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[], $7::text[])
           AS o(workspace_id, id, lease_token, attempted_at, status_code, duration_ms, response_excerpt)
       ), settled AS (
         UPDATE webhook_deliveries d
            SET status = 'succeeded', attempt_count = d.attempt_count + 1, next_attempt_at = NULL, lease_token = NULL, completed_at = now(), updated_at = now()
           FROM outcome o
          WHERE d.workspace_id = o.workspace_id AND d.id = o.id AND d.lease_token = o.lease_token
         RETURNING d.workspace_id, d.id, d.subscription_id
       ), attempts AS (
         INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempted_at, status_code, duration_ms, response_excerpt)
         SELECT o.workspace_id, o.id, o.attempted_at, o.status_code, o.duration_ms, o.response_excerpt
           FROM outcome o JOIN settled s ON s.workspace_id = o.workspace_id AND s.id = o.id
       )
       UPDATE webhook_subscriptions sub SET failing_since = NULL
         FROM (SELECT DISTINCT workspace_id, subscription_id FROM settled) s
        WHERE sub.workspace_id = s.workspace_id AND sub.id = s.subscription_id AND sub.failing_since IS NOT NULL`,
      [
        column((entry) => entry.delivery.workspaceId), column((entry) => entry.delivery.id), column((entry) => entry.delivery.leaseToken),
        column((entry) => entry.attemptedAt), column((entry) => entry.answer.statusCode), column((entry) => entry.answer.durationMs),
        column((entry) => entry.answer.responseExcerpt),
      ],
    );
  }

  /** Locks the endpoint's row for the rest of the transaction; the database clock is the one every instance shares. */
  async lockEndpointHealth(manager: EntityManager, delivery: ClaimedDelivery): Promise<EndpointHealth | null> {
    const [row] = await manager.query(
      `SELECT enabled, failing_since AS "failingSince", now() AS now FROM webhook_subscriptions WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
      [delivery.workspaceId, delivery.subscriptionId],
    );
    return row ?? null;
  }

  /**
   * Records the attempt and the delivery's new state, only if this instance still holds the lease: when it ran out
   * and another instance took over, that one reports instead.
   */
  async settle(
    manager: EntityManager,
    delivery: ClaimedDelivery,
    attemptedAt: Date,
    answer: EndpointAnswer,
    next: { status: 'succeeded' | 'failed' } | { status: 'pending'; retryInMs: number },
  ): Promise<boolean> {
    const retryInMs = next.status === 'pending' ? next.retryInMs : null;
    const [, affected] = await manager.query(
      `UPDATE webhook_deliveries
          SET status = $4, attempt_count = attempt_count + 1, lease_token = NULL, updated_at = now(),
              next_attempt_at = CASE WHEN $4 = 'pending' THEN now() + make_interval(secs => $5::double precision / 1000) END,
              completed_at = CASE WHEN $4 = 'pending' THEN NULL ELSE now() END
        WHERE workspace_id = $1 AND id = $2 AND lease_token = $3`,
      [delivery.workspaceId, delivery.id, delivery.leaseToken, next.status, retryInMs],
    );
    if (!affected) return false;
    await manager.query(
      `INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempted_at, status_code, duration_ms, response_excerpt, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [delivery.workspaceId, delivery.id, attemptedAt, answer.statusCode, answer.durationMs, answer.responseExcerpt, answer.error],
    );
    return true;
  }

  async markFailing(manager: EntityManager, delivery: ClaimedDelivery, since: Date): Promise<void> {
    await manager.query(
      'UPDATE webhook_subscriptions SET failing_since = $3 WHERE workspace_id = $1 AND id = $2 AND failing_since IS DISTINCT FROM $3',
      [delivery.workspaceId, delivery.subscriptionId, since],
    );
  }

  /** Disables the endpoint and returns its public fields for the webhook.disabled event. */
  async disable(manager: EntityManager, delivery: ClaimedDelivery, reason: 'gone' | 'failing', since: Date | null): Promise<WebhookEndpointPayload> {
    const [[row]] = await manager.query(
      `UPDATE webhook_subscriptions
          SET enabled = false, disabled_reason = $3, disabled_at = now(), failing_since = $4, updated_at = now()
        WHERE workspace_id = $1 AND id = $2
       RETURNING id, url, events, description, enabled, disabled_reason AS "disabledReason", disabled_at AS "disabledAt", failing_since AS "failingSince"`,
      [delivery.workspaceId, delivery.subscriptionId, reason, since],
    );
    return row;
  }
}
