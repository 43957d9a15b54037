import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { priceCatalogFor } from '../../usage/price-catalog.ts';
import { recordedCost } from '../cost/recorded-cost.ts';
import { tracingPriority } from './definition.ts';
import { exporterSettings } from './exporter-settings.ts';
import { beginAttemptSpan, recordRequestSpans } from './request-spans.ts';
import { acquireTracer } from './tracer-pipeline.ts';
import type { TracingConfig } from './tracing-config.ts';

/**
 * The tracing plugin's instance (definition.ts): in the log phase, after the response is sent, it
 * builds the request's spans from the context's timestamps and hands them to a batch processor;
 * the export happens later, off the request path. A failing collector costs a warning, never a request.
 */
export function createTracingPlugin(config: TracingConfig, dependencies: PluginDependencies): Plugin {
  const settings = exporterSettings(config, dependencies.env ?? process.env);
  const catalog = priceCatalogFor(dependencies.pricing);
  const { tracer, release } = acquireTracer(settings, dependencies.logger, dependencies.metrics);
  return {
    name: 'tracing',
    priority: tracingPriority,
    upstreamRequestHeadersOnly: true,
    onUpstreamRequest(ctx: RequestContext) {
      beginAttemptSpan(tracer, ctx);
    },
    onLog(ctx: RequestContext) {
      recordRequestSpans(tracer, ctx, () => recordedCost(ctx, catalog), dependencies.metrics.modelLabels);
    },
    close: release,
  };
}
