import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type EndpointState = 'healthy' | 'failing' | 'disabled';

// An endpoint's state as an operator groups it: switched off, failing (retries running), or healthy.
const ENDPOINT_STATE = `CASE WHEN NOT s.enabled THEN 'disabled' WHEN s.failing_since IS NOT NULL THEN 'failing' ELSE 'healthy' END`;

/** Deployment-wide webhook figures for the metrics endpoint; aggregates only, never a workspace's rows. */
@Injectable()
export class WebhookMetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async endpoints(): Promise<Array<{ state: EndpointState; count: number }>> {
    return this.dataSource.query(`SELECT ${ENDPOINT_STATE} AS state, count(*)::int AS count FROM webhook_subscriptions s GROUP BY 1`);
  }

  /** Pending deliveries by their endpoint's state, and the age of the oldest (the partial pending index serves both). */
  async pending(): Promise<Array<{ state: EndpointState; count: number; oldestSeconds: number }>> {
    const rows: Array<{ state: EndpointState; count: number; oldest_seconds: number }> = await this.dataSource.query(
      `SELECT ${ENDPOINT_STATE} AS state, count(*)::int AS count, COALESCE(EXTRACT(EPOCH FROM now() - min(d.created_at)), 0)::float8 AS oldest_seconds
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.workspace_id = d.workspace_id AND s.id = d.subscription_id
        WHERE d.status = 'pending'
        GROUP BY 1`,
    );
    return rows.map((row) => ({ state: row.state, count: row.count, oldestSeconds: row.oldest_seconds }));
  }

  /** Deliveries given up in the last hour, by their endpoint's state. */
  async failedLastHour(): Promise<Array<{ state: EndpointState; count: number }>> {
    return this.dataSource.query(
      `SELECT ${ENDPOINT_STATE} AS state, count(*)::int AS count
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.workspace_id = d.workspace_id AND s.id = d.subscription_id
        WHERE d.status = 'failed' AND d.completed_at > now() - interval '1 hour'
        GROUP BY 1`,
    );
  }
}
