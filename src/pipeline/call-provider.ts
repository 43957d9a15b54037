import type { CanonicalRequest } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Provider, ProviderReply } from '../providers/provider.ts';
import type { RoutePlan } from '../routing/router.ts';
import type { RequestContext } from './context.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';

/** Statuses after which another target may succeed where this one failed. */
const failoverStatuses = new Set([408, 429, 500, 502, 503, 504]);

function canFailOver(error: GatewayError): boolean {
  return error.upstream && failoverStatuses.has(error.status);
}

/** The client's own provider key under BYOK: a bearer token that is not a gateway key. */
function clientProviderKey(ctx: RequestContext): string | undefined {
  const authorization = ctx.headers.authorization;
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined;
  const token = authorization.slice(7).trim();
  return token === '' || token.startsWith('tg-') ? undefined : token;
}

function credentialFor(ctx: RequestContext, provider: Provider, requiresKey: (provider: Provider) => boolean): string | undefined {
  if (provider.settings.byok) {
    const own = clientProviderKey(ctx);
    if (own !== undefined) return own;
  }
  const configured = provider.settings.apiKey;
  if (configured === undefined && requiresKey(provider)) throw errors.missingProviderCredential(provider.settings.name);
  return configured;
}

/**
 * Tries the plan's targets in order (each group's strategy orders its own targets, then the
 * route's fallbacks) until one answers. Nothing has reached the client yet, so any failure that
 * another target could avoid (connect error, 408/429/5xx) moves on; others end the request.
 */
export async function callProvider(ctx: RequestContext, plan: RoutePlan, pipeline: CompiledPipeline, requiresKey: (provider: Provider) => boolean): Promise<ProviderReply> {
  let lastError: GatewayError | null = null;
  for (const group of plan.groups) {
    for (const target of group.order()) {
      const provider = target.provider;
      if (!provider.operations.has(ctx.operation)) {
        lastError = errors.operationNotSupported(provider.settings.name, ctx.operation);
        continue;
      }
      ctx.target = target;
      ctx.attempts++;
      target.inFlight++;
      try {
        const apiKey = credentialFor(ctx, provider, requiresKey);
        if (pipeline.onUpstreamRequest) for (const plugin of pipeline.onUpstreamRequest) await plugin.onUpstreamRequest!(ctx);
        const rawModelUnchanged = !ctx.bodyChanged && target.model === ctx.requestedModel;
        const request = (rawModelUnchanged ? ctx.body : { ...ctx.body, model: target.model }) as CanonicalRequest;
        ctx.upstreamStartedAt = performance.now();
        const reply = await provider.send({
          operation: ctx.operation,
          model: target.model,
          request,
          rawBody: ctx.bodyChanged ? null : ctx.rawBody,
          rawModelUnchanged,
          stream: ctx.stream,
          apiKey,
          signal: ctx.signal,
          requestId: ctx.id,
          clientFormat: ctx.clientFormat,
        });
        ctx.upstreamFirstByteAt = performance.now();
        ctx.inFlightTarget = target;
        return reply;
      } catch (error) {
        target.inFlight--;
        if (!(error instanceof GatewayError)) throw error;
        if (ctx.signal.aborted) throw error;
        lastError = error;
        const otherTargetMayHelp = canFailOver(error) || error.code === 'missing_provider_key';
        if (!otherTargetMayHelp) throw error;
        ctx.logger.warn({ requestId: ctx.id, provider: provider.settings.name, model: target.model, status: error.status, code: error.code }, 'upstream attempt failed; trying the next target');
      }
    }
  }
  throw lastError ?? errors.internal();
}
