import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { unredactedLogger } from '../../telemetry/logger.ts';
import { failedAttemptTokens } from '../../usage/failed-attempt-usage.ts';
import { accessLogPriority, type AccessLogConfig } from './definition.ts';

function milliseconds(from: number, to: number): number | undefined {
  return from > 0 && to >= from ? Math.round((to - from) * 100) / 100 : undefined;
}

const levelsAboveInfo = new Set(['warn', 'error', 'fatal']);

/** What the cache plugin told the client in `x-tollgate-cache`. */
const cacheOutcomes = new Set(['hit', 'miss', 'bypass']);

/**
 * The response cache's part in the request, as the client saw it in `x-tollgate-cache`: `hit`
 * (no provider was called), `miss`, `bypass` (a stream, `no-store`); absent when no cache looked
 * (none configured, an operation it does not cache, a refusal before its turn).
 */
function cacheOutcome(ctx: RequestContext): string | undefined {
  if (ctx.answeredFromCache === true) return 'hit';
  const told = ctx.responseHeaders?.['x-tollgate-cache'];
  return told !== undefined && cacheOutcomes.has(told) ? told : undefined;
}

/**
 * The access lines' logger: unredacted (below), and at `info` when `log.level` is warn, error or
 * fatal, since an operator who quiets the other lines still asked for `access_log`. `silent` stays silent.
 */
function accessLogger(logger: PluginDependencies['logger']): PluginDependencies['logger'] {
  const unredacted = unredactedLogger(logger);
  if (levelsAboveInfo.has(logger.level)) unredacted.level = 'info';
  return unredacted;
}

/**
 * The access log's instance: one `info` line per answered request in the log phase (definition.ts;
 * the gateway's own answers, refusals before routing included, run it too). Every
 * field is one the gateway chose and none holds a credential, so the line skips the logger's
 * redaction pass (half of its cost).
 */
export function createAccessLogPlugin(_config: AccessLogConfig, dependencies: PluginDependencies): Plugin {
  const logger = accessLogger(dependencies.logger);
  return {
    name: 'access-log',
    priority: accessLogPriority,
    onLog(ctx: RequestContext) {
      // Failed attempts' reported usage (a stream cut after Anthropic's message_start) is billed: counted as the usage ledger counts it.
      const failed = failedAttemptTokens(ctx.failedAttemptUsage);
      logger.info(
        {
          type: 'access',
          id: ctx.id,
          method: ctx.method,
          path: ctx.path,
          // Absent for an answer that names none (a refused body, the model list).
          model: ctx.requestedModel === '' ? undefined : ctx.requestedModel,
          provider: ctx.target?.provider.settings.name,
          upstream_model: ctx.target?.model,
          route: ctx.route?.name,
          variant: ctx.variant,
          status: ctx.status,
          error: ctx.error?.code,
          attempts: ctx.attempts,
          stream: ctx.stream,
          cache: cacheOutcome(ctx),
          upstream_ms: milliseconds(ctx.upstreamStartedAt, ctx.upstreamFirstByteAt),
          total_ms: milliseconds(ctx.receivedAt, ctx.finishedAt),
          bytes_in: ctx.rawBody.length,
          bytes_out: ctx.bytesOut,
          prompt_tokens: failed === null ? ctx.usage?.prompt_tokens : (ctx.usage?.prompt_tokens ?? 0) + failed.input,
          completion_tokens: failed === null ? ctx.usage?.completion_tokens : (ctx.usage?.completion_tokens ?? 0) + failed.output,
        },
        'request',
      );
    },
  };
}
