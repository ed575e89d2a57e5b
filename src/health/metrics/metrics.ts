import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One sample of a gauge a module reports at scrape time. */
export interface GaugeSample {
  labels?: Record<string, string>;
  value: number;
}

/** What a module reports when Prometheus scrapes: read on demand, so no timer runs and nothing goes stale. */
export interface GaugeDefinition {
  name: string;
  help: string;
  labelNames?: string[];
  read(): Promise<GaugeSample[]>;
}

/**
 * One database read shared by the gauges of one scrape: the registry collects every gauge at once, so gauges built
 * from the same query (a count and an age) call this in the same tick and get one round trip between them.
 */
export function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => (inFlight ??= read().finally(() => (inFlight = null)));
}

// Operation names come from clients: past this many distinct names, new ones are counted as "other" so no caller can
// grow the registry (and every scrape) without bound.
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The instance's Prometheus registry (`GET /metrics`). One per application, so two apps in one process (tests) never
 * share counters. Labels never carry a workspace, an id or a URL with ids in it: route templates and bounded names
 * only, so the series count stays fixed however many tenants and tickets there are.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'deskline_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class, with their duration.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly graphqlOperations = new Counter({
    name: 'deskline_graphql_operations_total',
    help: 'GraphQL operations by operation name, type and outcome (ok, or error when the response carries errors).',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [this.registry],
  });
  private readonly operationNames = new Set<string>();
  private readonly failedReads = new Counter({
    name: 'deskline_metrics_read_failures_total',
    help: 'Gauges that could not be read at scrape time (their database query failed), by gauge.',
    labelNames: ['gauge'],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Memory, CPU, event-loop lag, handles: prom-client's standard names, which dashboards expect.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route: route ?? 'unmatched', status_class: `${Math.floor(statusCode / 100)}xx` }, seconds);
  }

  countGraphQLOperation(name: string | null | undefined, type: string, failed: boolean): void {
    let operation = name && OPERATION_NAME.test(name) ? name : 'anonymous';
    if (!this.operationNames.has(operation)) {
      if (this.operationNames.size >= MAX_OPERATION_NAMES) operation = 'other';
      else this.operationNames.add(operation);
    }
    this.graphqlOperations.inc({ operation, type, outcome: failed ? 'error' : 'ok' });
  }

  /** A gauge read when scraped; a failing read leaves the gauge empty for that scrape and counts the failure. */
  gauge(definition: GaugeDefinition): void {
    const failedReads = this.failedReads;
    new Gauge({
      name: definition.name,
      help: definition.help,
      labelNames: definition.labelNames ?? [],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const sample of await definition.read()) {
            if (sample.labels) this.set(sample.labels, sample.value);
            else this.set(sample.value);
          }
        } catch {
          failedReads.inc({ gauge: definition.name });
        }
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
