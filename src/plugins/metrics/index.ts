import { z } from 'zod';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import type { RequestContext } from '../../pipeline/context.ts';

const configSchema = z.object({}).strict();

/** Prometheus counters and histograms per request, in the log phase. */
export const metricsDefinition: PluginDefinition<z.infer<typeof configSchema>> = {
  name: 'metrics',
  description: 'Request, latency and token metrics for /metrics.',
  priority: 20,
  configSchema,
  enabledByDefault: true,
  create(_config, { metrics }): Plugin {
    return {
      name: 'metrics',
      priority: 20,
      onLog(ctx: RequestContext) {
        const provider = ctx.target?.provider.settings.name ?? 'none';
        const model = ctx.target?.model ?? 'none';
        metrics.requests.inc({ operation: ctx.operation, provider, model, status: ctx.status });
        metrics.duration.observe({ operation: ctx.operation, provider, stream: ctx.stream ? 'yes' : 'no' }, (ctx.finishedAt - ctx.receivedAt) / 1000);
        if (ctx.upstreamStartedAt > 0 && ctx.upstreamFirstByteAt >= ctx.upstreamStartedAt) metrics.upstreamDuration.observe({ provider }, (ctx.upstreamFirstByteAt - ctx.upstreamStartedAt) / 1000);
        if (ctx.usage) {
          metrics.tokens.inc({ provider, model, kind: 'prompt' }, ctx.usage.prompt_tokens ?? 0);
          metrics.tokens.inc({ provider, model, kind: 'completion' }, ctx.usage.completion_tokens ?? 0);
        }
      },
    };
  },
};
