import type { Provider } from '../providers/provider.ts';
import { refuseOrDropParameters } from '../providers/refuse-or-drop-parameters.ts';
import type { RequestContext } from './context.ts';

/**
 * Whether a request's `value` of `name` asks for anything: `false` and null do not, nor
 * `modalities` that lists only `text` (what every provider writes); `["text", "audio"]` does.
 */
function asksFor(name: string, value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (name === 'modalities') return !Array.isArray(value) || value.some((modality) => modality !== 'text');
  return true;
}

/**
 * A translated provider leaves out chat parameters it cannot honour. A request that sets one is
 * refused under strict_params (400 unsupported_parameter), otherwise served with a warning that
 * names the parameters (never their values).
 */
export function checkDroppedParameters(ctx: RequestContext, provider: Provider): void {
  const dropped = provider.droppedParameters;
  if (dropped === undefined || ctx.operation !== 'chat') return;
  let names: string[] | undefined;
  const body = ctx.body as Record<string, unknown>;
  for (const name of dropped) {
    if (asksFor(name, body[name])) (names ??= []).push(name);
  }
  if (names !== undefined) refuseOrDropParameters(names, provider.settings, ctx.logger, ctx.id);
}
