import { GatewayError } from '../errors/gateway-error.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';
import type { RequestContext } from './context.ts';
import { nativeResponsesOf } from './native-responses.ts';

/**
 * A Responses request served natively goes upstream as the client's bytes and its answer comes
 * back as the provider's: plugins that would change the request or check the answer cannot act on
 * them. Rather than send what a guardrail was set to remove (or return what it was set to check),
 * such a request is refused here, after the access phase (guardrails that only read the request
 * have run on the text the gateway can read) and before any provider is called: when a plugin
 * changed the canonical view (pii redaction or masking that found something, a prompt decorator
 * or template), or says it cannot serve it (Plugin.nativeForwardingConflict: pii set to redact or
 * mask at all, output-validation of a JSON answer).
 */
export function checkNativeResponsesPlugins(ctx: RequestContext, pipeline: CompiledPipeline): void {
  const native = nativeResponsesOf(ctx);
  if (native === undefined) return;
  for (const plugin of pipeline.plugins) {
    const reason = plugin.nativeForwardingConflict?.(ctx) ?? null;
    if (reason !== null) throw nativeForwardingRefused(native.refusal, `the '${plugin.name}' plugin ${reason}`);
  }
  if (ctx.bodyChanged) throw nativeForwardingRefused(native.refusal, 'a plugin on this route changes requests (a prompt decorator or template, pii redaction or masking)');
}

function nativeForwardingRefused(refusal: GatewayError, why: string): GatewayError {
  const field = refusal.param === null ? 'this request' : `'${refusal.param}'`;
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'native_responses_plugin_conflict',
    param: refusal.param,
    message: `${field} needs OpenAI's own Responses API, to which the gateway forwards the request as sent and from which it passes the answer back as sent; ${why}, which it cannot do there, so the request is refused rather than sent unguarded. Send the whole conversation without OpenAI-only features, or call a route without that plugin.`,
  });
}
