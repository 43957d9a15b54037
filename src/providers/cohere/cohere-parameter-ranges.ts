import type { Logger } from 'pino';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { ProviderSettings } from '../provider.ts';

/** A range Cohere documents for a sampling parameter; it answers 400 to a value outside it. */
interface Range {
  min: number;
  max: number;
}

/**
 * Cohere's documented ranges (docs.cohere.com/v2/reference/chat), keyed by Cohere's field name.
 * OpenAI's are wider: top_p 0-1 (1 is its default, which many clients send), penalties -2..2;
 * Anthropic's top_k has no upper bound.
 */
export const cohereRanges = {
  p: { min: 0.01, max: 0.99 },
  k: { min: 0, max: 500 },
  frequency_penalty: { min: 0, max: 1 },
  presence_penalty: { min: 0, max: 1 },
} as const satisfies Record<string, Range>;

/** `value` moved into `range`. */
export function clampTo(range: Range, value: number): number {
  return Math.min(range.max, Math.max(range.min, value));
}

/**
 * Parameters whose value was moved into Cohere's range (a penalty below 0 or above 1, a top_k above
 * 500): refused under strict_params (400 unsupported_parameter naming the first), otherwise sent
 * clamped with a warning naming them, never their values. The warning is the one the gateway logs
 * for parameters it drops, with `clamped` instead of `dropped`: the parameter was sent, changed.
 */
export function refuseOrClampParameters(names: string[], settings: Pick<ProviderSettings, 'name' | 'strictParams'>, logger: Logger, requestId: string): void {
  if (names.length === 0) return;
  if (settings.strictParams) {
    const listed = names.map((name) => `'${name}'`).join(', ');
    throw new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      code: 'unsupported_parameter',
      param: names[0],
      message: `Provider '${settings.name}' does not support the value of ${listed}: it is outside the provider's range (strict_params is on; without it the value is clamped into the range).`,
    });
  }
  logger.warn({ requestId, provider: settings.name, clamped: names }, 'parameters outside the provider\'s range were clamped');
}
