import { z } from 'zod';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import type { RequestContext } from '../../pipeline/context.ts';

const configSchema = z.object({}).strict();

function milliseconds(from: number, to: number): number | undefined {
  return from > 0 && to >= from ? Math.round((to - from) * 100) / 100 : undefined;
}

/**
 * One structured line per request (id, method, path, model, provider, status, latencies,
 * stream, bytes, tokens). Never the prompt, the answer or a credential.
 */
export const accessLogDefinition: PluginDefinition<z.infer<typeof configSchema>> = {
  name: 'access-log',
  description: 'One JSON line per request in the log phase.',
  priority: 10,
  configSchema,
  enabledByDefault: true,
  create(_config, { logger }): Plugin {
    return {
      name: 'access-log',
      priority: 10,
      onLog(ctx: RequestContext) {
        logger.info(
          {
            type: 'access',
            id: ctx.id,
            method: ctx.method,
            path: ctx.path,
            model: ctx.requestedModel,
            provider: ctx.target?.provider.settings.name,
            upstream_model: ctx.target?.model,
            route: ctx.route?.name,
            variant: ctx.variant,
            status: ctx.status,
            error: ctx.error?.code,
            attempts: ctx.attempts,
            stream: ctx.stream,
            upstream_ms: milliseconds(ctx.upstreamStartedAt, ctx.upstreamFirstByteAt),
            total_ms: milliseconds(ctx.receivedAt, ctx.finishedAt),
            bytes_in: ctx.rawBody.length,
            bytes_out: ctx.bytesOut,
            prompt_tokens: ctx.usage?.prompt_tokens,
            completion_tokens: ctx.usage?.completion_tokens,
          },
          'request',
        );
      },
    };
  },
};
