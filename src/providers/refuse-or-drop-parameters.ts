import type { Logger } from 'pino';
import { errors } from '../errors/catalogue.ts';
import type { ProviderSettings } from './provider.ts';

/**
 * Parameters a provider cannot honour, found by their value while translating (a named
 * tool_choice, n > 1): refused under strict_params (400 unsupported_parameter), otherwise left out
 * with the same warning the gateway logs for droppedParameters (pipeline/check-parameters.ts), so
 * a client sees one behaviour whether a parameter is refused by its name or by its value. The
 * warning names the parameters, never their values (a value may hold the client's data).
 * `clamped`: the parameters were sent, their values moved into the provider's range (Cohere's
 * penalties); the warning says `clamped` instead of `dropped`.
 */
export function refuseOrDropParameters(names: string[], settings: Pick<ProviderSettings, 'name' | 'strictParams'>, logger: Logger, requestId: string, outcome: 'dropped' | 'clamped' = 'dropped'): void {
  if (names.length === 0) return;
  if (settings.strictParams) throw errors.unsupportedParameters(settings.name, names, outcome);
  if (outcome === 'clamped') logger.warn({ requestId, provider: settings.name, clamped: names }, "parameters outside the provider's range were clamped");
  else logger.warn({ requestId, provider: settings.name, dropped: names }, 'parameters the provider cannot honour were dropped');
}
