import type { Provider } from '../providers/provider.ts';
import { refuseOrDropParameters } from '../providers/refuse-or-drop-parameters.ts';
import type { RequestContext } from './context.ts';

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
    const value = body[name];
    if (value === undefined || value === null || value === false) continue;
    (names ??= []).push(name);
  }
  if (names !== undefined) refuseOrDropParameters(names, provider.settings, ctx.logger, ctx.id);
}
