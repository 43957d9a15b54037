import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../telemetry/metrics.ts';

export interface AdminStatus {
  /** Config loaded and the data-plane listener accepting. */
  ready(): boolean;
  /** Facts for /readyz: config source, providers, models. */
  details(): Record<string, unknown>;
}

/**
 * The Admin listener (Fastify, default 127.0.0.1:8001): /healthz (alive), /readyz (config loaded,
 * listeners up), /metrics (Prometheus). Management resources are added by the identity issue.
 */
export function createAdminServer(status: AdminStatus, metrics: GatewayMetrics): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = status.ready();
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', ...status.details() };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  return app;
}
