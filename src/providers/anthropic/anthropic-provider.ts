import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { anthropicVersion } from './anthropic-api.ts';
import { mapAnthropicError } from './anthropic-error.ts';
import { betaFeatures, sendAnthropicMessages } from './send-anthropic-messages.ts';

/**
 * Anthropic's Messages API. OpenAI-format calls are translated through the canonical model;
 * a call that arrived in Anthropic's own format with its body bytes intact is forwarded as is.
 */
export class AnthropicProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = 'anthropic' as const;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat']);
  readonly droppedParameters: ReadonlySet<string> = new Set(['seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'service_tier']);
  readonly #dependencies: ProviderDependencies;
  readonly #url: string;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    // ANTHROPIC_BASE_URL is a host without /v1, as in Anthropic's SDKs.
    this.#url = `${settings.baseUrl.replace(/\/+$/, '')}/v1/messages`;
  }

  #headers(call: ProviderCall): Record<string, string> {
    const headers: Record<string, string> = { 'anthropic-version': anthropicVersion, ...this.settings.headers };
    if (call.apiKey) headers['x-api-key'] = call.apiKey;
    const betas = betaFeatures(headers['anthropic-beta'], call.clientHeaders?.['anthropic-beta']);
    if (betas) headers['anthropic-beta'] = betas;
    return headers;
  }

  /** Anthropic's error mapping, the call's key scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapAnthropicError(this.settings.name, status, headers, text, call.apiKey);
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    if (call.operation !== 'chat') throw errors.operationNotSupported(this.settings.name, call.operation);
    const url = this.#url;
    return sendAnthropicMessages(this.#dependencies.upstream, this.settings, call, { url: () => url, headers: this.#headers(call), mapError: this.#mapError(call), secret: call.apiKey });
  }
}
