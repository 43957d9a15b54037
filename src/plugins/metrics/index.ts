import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { metricsPriority, type MetricsConfig } from './definition.ts';

/** The metrics plugin's instance: counts every request into the gateway's Prometheus registry (definition.ts). */
export function createMetricsPlugin(_config: MetricsConfig, { metrics }: PluginDependencies): Plugin {
  return {
    name: 'metrics',
    priority: metricsPriority,
    onLog(ctx: RequestContext) {
      const provider = ctx.target?.provider.settings.name ?? 'none';
      // A model a provider has answered (bounded: src/telemetry/model-labels.ts); `none` when no provider was called.
      const model = ctx.target ? metrics.modelLabels.label(ctx.target.model, ctx.status < 400 && ctx.error === null) : 'none';
      metrics.requestCounts.add(1, ctx.operation, provider, model, ctx.status);
      metrics.duration.observe({ operation: ctx.operation, provider, stream: ctx.stream ? 'yes' : 'no' }, (ctx.finishedAt - ctx.receivedAt) / 1000);
      if (ctx.upstreamStartedAt > 0 && ctx.upstreamFirstByteAt >= ctx.upstreamStartedAt) metrics.upstreamDuration.observe({ provider }, (ctx.upstreamFirstByteAt - ctx.upstreamStartedAt) / 1000);
      if (ctx.usage) {
        metrics.tokenCounts.add(ctx.usage.prompt_tokens ?? 0, provider, model, 'prompt');
        metrics.tokenCounts.add(ctx.usage.completion_tokens ?? 0, provider, model, 'completion');
      }
    },
  };
}
