import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BatchedCounter } from './batched-counter.ts';
import { ModelLabels } from './model-labels.ts';

/** The gateway's Prometheus metrics (served at the Admin listener's /metrics). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'provider' | 'model' | 'status'>;
  readonly duration: Histogram<'operation' | 'provider' | 'stream'>;
  readonly upstreamDuration: Histogram<'provider' | 'status_class'>;
  readonly tokens: Counter<'provider' | 'model' | 'kind'>;
  /** The request path's counts of `requests` (operation, provider, model, status), added to it at each collection. */
  readonly requestCounts = new BatchedCounter(['operation', 'provider', 'model', 'status']);
  /** The request path's counts of `tokens` (provider, model, kind), added to it at each collection. */
  readonly tokenCounts = new BatchedCounter(['provider', 'model', 'kind']);
  /** The `model` label's values, bounded (model-labels.ts). */
  readonly modelLabels = new ModelLabels();
  readonly inFlight: Gauge;
  readonly configReloads: Counter<'result'>;
  /** Where /metrics reads from: this registry, or (server.workers) every worker's through the primary. */
  #exposition: () => Promise<string> = () => this.registry.metrics();

  constructor() {
    // Node's process metrics under their standard names (process_cpu_seconds_total,
    // nodejs_eventloop_lag_p99_seconds...), which the usual Node.js dashboards and alerts query.
    collectDefaultMetrics({ register: this.registry });
    // Three gauges prom-client names *_total, a suffix Prometheus keeps for counters; each is the
    // sum over `type` of its labelled gauge, which stays (nodejs_active_handles{type}...).
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    const registers = [this.registry];
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    const requestCounts = this.requestCounts;
    const tokenCounts = this.tokenCounts;
    this.requests = new Counter({
      name: 'tollgate_requests_total',
      help: 'Model requests by operation, provider, model and HTTP status.',
      labelNames: ['operation', 'provider', 'model', 'status'],
      registers,
      collect() {
        requestCounts.flushInto(this);
      },
    });
    this.duration = new Histogram({ name: 'tollgate_request_duration_seconds', help: 'Time from request arrival to the end of the response.', labelNames: ['operation', 'provider', 'stream'], buckets, registers });
    this.upstreamDuration = new Histogram({
      name: 'tollgate_upstream_first_byte_seconds',
      help: "Time from sending to the provider to its answer's headers (an error answer: to the answer), by provider and the answer's status class (2xx, 4xx, 5xx).",
      labelNames: ['provider', 'status_class'],
      buckets,
      registers,
    });
    this.tokens = new Counter({
      name: 'tollgate_tokens_total',
      help: 'Tokens by provider, model and kind (prompt, completion).',
      labelNames: ['provider', 'model', 'kind'],
      registers,
      collect() {
        tokenCounts.flushInto(this);
      },
    });
    this.inFlight = new Gauge({ name: 'tollgate_requests_in_flight', help: 'Requests being handled by the data plane.', registers });
    this.configReloads = new Counter({ name: 'tollgate_config_reloads_total', help: 'Configuration reloads by result.', labelNames: ['result'], registers });
    // Both series from the start, so rate() and an alert on failures work before the first reload.
    for (const result of ['success', 'failure']) this.configReloads.inc({ result }, 0);
  }

  /** The Prometheus exposition text /metrics serves. */
  exposition(): Promise<string> {
    return this.#exposition();
  }

  /** Serve another source at /metrics (the cluster's, telemetry/cluster-metrics.ts). */
  exposeFrom(source: () => Promise<string>): void {
    this.#exposition = source;
  }
}
