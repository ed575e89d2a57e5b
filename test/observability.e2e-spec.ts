import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

/** Sample values of one metric in Prometheus text, keyed by their label set as printed. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) found.set(match[1] ?? '', Number(match[2]));
  }
  return found;
}

describe('what an operator watches: GET /metrics and GET /health/ready', () => {
  let t: TestApp;
  let sql: DataSource;
  const scrape = async () => {
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text;
  };

  beforeAll(async () => {
    // No dispatcher: a delivery the test ages by hand stays pending.
    t = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false', READY_BACKLOG_SECONDS: '60' });
    sql = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('counts HTTP requests by route template and status class, never by the ids in the URL', async () => {
    const created = await t.http.post('/v1/tickets').set(t.auth(t.main.key)).send({ subject: 'Metrics', message: { body: 'hi' }, requester: { email: 'metrics@example.com' } }).expect(201);
    await t.http.get(`/v1/tickets/${created.body.id}`).set(t.auth(t.main.key)).expect(200);
    await t.http.get('/v1/tickets/00000000-0000-4000-8000-000000000000').set(t.auth(t.main.key)).expect(404);
    const text = await scrape();
    const counts = samples(text, 'deskline_http_request_duration_seconds_count');
    expect(counts.get('{method="POST",route="/v1/tickets",status_class="2xx"}')).toBe(1);
    expect(counts.get('{method="GET",route="/v1/tickets/:id",status_class="2xx"}')).toBe(1);
    expect(counts.get('{method="GET",route="/v1/tickets/:id",status_class="4xx"}')).toBe(1);
    expect(text).not.toContain(created.body.id);
    expect(text).not.toContain(t.main.id);
    expect(samples(text, 'deskline_http_request_duration_seconds_bucket').size).toBeGreaterThan(10);
  });

  it('counts GraphQL operations by name and outcome, and bounds the names a client can add', async () => {
    await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: 'query SidebarTickets { tickets(first: 1) { pageInfo { hasNextPage } } }' }).expect(200);
    await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: 'query BrokenOne { ticket(id: "00000000-0000-4000-8000-000000000000") { id } }' }).expect(200);
    let text = await scrape();
    const operations = samples(text, 'deskline_graphql_operations_total');
    expect(operations.get('{operation="SidebarTickets",type="query",outcome="ok"}')).toBe(1);
    expect(operations.get('{operation="BrokenOne",type="query",outcome="error"}')).toBe(1);

    for (let index = 0; index < 210; index++) {
      await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: `query Name${index} { __typename }` }).expect(200);
    }
    text = await scrape();
    const names = [...samples(text, 'deskline_graphql_operations_total').keys()].map((labels) => /operation="([^"]+)"/.exec(labels)![1]);
    expect(new Set(names).size).toBeLessThanOrEqual(201);
    expect(names).toContain('other');
  });

  it('reports the database pool, the process, the webhook pipeline, SLA scan lag, mail and live streams', async () => {
    const text = await scrape();
    expect(samples(text, 'deskline_database_pool_connections').get('{state="open"}')).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'deskline_database_pool_connections').has('{state="waiting"}')).toBe(true);
    expect(samples(text, 'process_resident_memory_bytes').get('')).toBeGreaterThan(10_000_000);
    expect(samples(text, 'nodejs_eventloop_lag_seconds').has('')).toBe(true);
    expect(samples(text, 'deskline_sla_scan_lag_seconds').get('')).toBe(0);
    expect(samples(text, 'deskline_mail_outbound_queued').get('')).toBe(0);
    expect(samples(text, 'deskline_mail_imap_mailboxes_failing').get('')).toBe(0);
    expect(samples(text, 'deskline_event_streams_open').get('')).toBe(0);
    expect(samples(text, 'deskline_webhook_fanout_backlog_events').get('')).toBe(0);
    expect(samples(text, 'deskline_metrics_read_failures_total').size).toBe(0);
  });

  it('reports a webhook backlog in /metrics and as a degraded part of /health/ready, still serving', async () => {
    const webhook = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: 'https://hooks.example.com/in', events: ['ticket.created'] });
    expect(webhook.status).toBe(201);
    await sql.query(
      `INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload, next_attempt_at, created_at)
       VALUES ($1, $2, gen_random_uuid(), 'ticket.created', '{}', now() + interval '1 day', now() - interval '10 minutes')`,
      [t.main.id, webhook.body.id],
    );
    const text = await scrape();
    expect(samples(text, 'deskline_webhook_deliveries_pending').get('{endpoint_state="healthy"}')).toBe(1);
    expect(samples(text, 'deskline_webhook_oldest_pending_seconds').get('{endpoint_state="healthy"}')).toBeGreaterThanOrEqual(600);
    expect(samples(text, 'deskline_webhook_endpoints').get('{state="healthy"}')).toBe(1);

    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.parts.database).toEqual({ status: 'ok' });
    expect(ready.body.parts.webhooks.status).toBe('degraded');
    expect(ready.body.parts.webhooks.detail).toMatch(/oldest pending delivery to a healthy endpoint is 6\d\d s old \(READY_BACKLOG_SECONDS=60\)/);
    await sql.query(`DELETE FROM webhook_deliveries WHERE workspace_id = $1`, [t.main.id]);
    expect((await t.http.get('/health/ready').expect(200)).body.status).toBe('ok');
  });

  it('takes the instance out of rotation (503) while a migration of this build is not applied', async () => {
    const [last] = await sql.query(`SELECT timestamp, name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1`);
    await sql.query(`DELETE FROM schema_migrations WHERE name = $1`, [last.name]);
    try {
      const ready = await t.http.get('/health/ready').expect(503);
      expect(ready.body.status).toBe('unavailable');
      expect(ready.body.parts.migrations).toEqual({ status: 'unavailable', detail: `1 pending: ${last.name}` });
    } finally {
      await sql.query(`INSERT INTO schema_migrations (timestamp, name) VALUES ($1, $2)`, [last.timestamp, last.name]);
    }
    expect((await t.http.get('/health/ready').expect(200)).body.status).toBe('ok');
  });

  it('answers only the metrics token when METRICS_TOKEN is set', async () => {
    const token = randomBytes(24).toString('hex');
    const guarded = await startTestApp({ METRICS_TOKEN: token, WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' });
    try {
      const refused = await guarded.http.get('/metrics').expect(401);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.detail).toContain('METRICS_TOKEN');
      await guarded.http.get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
      // An API key is not the metrics token: the scraper's credential and the API's are separate.
      await guarded.http.get('/metrics').set(guarded.auth(guarded.main.key)).expect(401);
      const scraped = await guarded.http.get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      expect(scraped.text).toContain('deskline_http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});
