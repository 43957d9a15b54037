import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { GatewayMetrics } from '../../telemetry/metrics.ts';
import { boundedModelName } from '../../telemetry/model-standing.ts';
import { outcomeStatus } from '../usage-ledger/usage-record.ts';
import { metricsPriority, type MetricsConfig } from './definition.ts';

/**
 * Attempts that ended without an error answer from the provider to time: none came (unreachable,
 * a timeout, the client gone), or its 200 came and the connection was lost after it (its status
 * was no error). The latter is timed to its first reported event when the adapter saw one
 * (FailedAttempt.answeredAt).
 */
const unanswered = new Set(['upstream_unreachable', 'upstream_connection_lost', 'upstream_timeout', 'client_closed_request']);

/** `2xx`, `4xx`, `5xx`: the upstream histogram's bounded status label. */
function statusClass(status: number): string {
  return `${Math.trunc(status / 100)}xx`;
}

/**
 * The provider's answers to the attempts that failed: its error answers (a failover's first
 * attempt, a final 500), timed to the answer, by the class of their status; and a 200 whose
 * stream was cut after its first event (Anthropic's message_start), timed to that event, as 2xx.
 */
function observeFailedAttempts(metrics: GatewayMetrics, ctx: RequestContext): void {
  for (const failed of ctx.failedAttempts!) {
    if (failed.startedAt <= 0) continue;
    if (!unanswered.has(failed.code)) metrics.upstreamDuration.observe({ provider: failed.provider, status_class: statusClass(failed.status) }, (failed.endedAt - failed.startedAt) / 1000);
    else if (failed.answeredAt !== undefined && failed.answeredAt >= failed.startedAt) metrics.upstreamDuration.observe({ provider: failed.provider, status_class: '2xx' }, (failed.answeredAt - failed.startedAt) / 1000);
  }
}

/** What the providers of failed attempts reported before they were cut (billed: the ledger counts it too), under each attempt's provider and model. */
function countFailedAttemptTokens(metrics: GatewayMetrics, ctx: RequestContext): void {
  for (const { usage, target } of ctx.failedAttemptUsage!) {
    const provider = target.provider.settings.name;
    // The provider answered (it reported usage), so an open provider's model may get its own label.
    const model = boundedModelName(metrics.modelLabels, ctx, target, true);
    metrics.tokenCounts.add(usage.prompt_tokens ?? 0, provider, model, 'prompt');
    metrics.tokenCounts.add(usage.completion_tokens ?? 0, provider, model, 'completion');
  }
}

/** The metrics plugin's instance: counts every request into the gateway's Prometheus registry (definition.ts). */
export function createMetricsPlugin(_config: MetricsConfig, { metrics }: PluginDependencies): Plugin {
  return {
    name: 'metrics',
    priority: metricsPriority,
    onLog(ctx: RequestContext) {
      const provider = ctx.target?.provider.settings.name ?? 'none';
      // A model the config names, or one a provider that lists none has answered (bounded: src/telemetry/model-labels.ts); `none` when no provider was called.
      const target = ctx.target;
      const model = target ? boundedModelName(metrics.modelLabels, ctx, target, ctx.status < 400 && ctx.error === null) : 'none';
      // An answer that is no model operation (the model list, a refused unknown path...) counts under what it was.
      const operation = ctx.endpoint ?? ctx.operation;
      // The outcome the usage ledger records: a stream that broke after its 200 counts as its failure (502, 504).
      metrics.requestCounts.add(1, operation, provider, model, outcomeStatus(ctx));
      metrics.duration.observe({ operation, provider, stream: ctx.stream ? 'yes' : 'no' }, (ctx.finishedAt - ctx.receivedAt) / 1000);
      if (ctx.upstreamStartedAt > 0 && ctx.upstreamFirstByteAt >= ctx.upstreamStartedAt) metrics.upstreamDuration.observe({ provider, status_class: '2xx' }, (ctx.upstreamFirstByteAt - ctx.upstreamStartedAt) / 1000);
      if (ctx.failedAttempts !== undefined) observeFailedAttempts(metrics, ctx);
      // A cache hit's usage is the stored answer's: no provider reported it for this request (the usage ledger keeps it, with cache_hit).
      if (ctx.usage && ctx.answeredFromCache !== true) {
        metrics.tokenCounts.add(ctx.usage.prompt_tokens ?? 0, provider, model, 'prompt');
        metrics.tokenCounts.add(ctx.usage.completion_tokens ?? 0, provider, model, 'completion');
      }
      if (ctx.failedAttemptUsage !== undefined) countFailedAttemptTokens(metrics, ctx);
    },
  };
}
