import type { IncomingHttpHeaders } from 'node:http';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { postWhole, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { anthropicVersion } from './anthropic-api.ts';
import { keptAnthropicHeaders, mapAnthropicError } from './anthropic-error.ts';
import type { TokenCountCall, TokenCounter, TokenCountReply } from './count-anthropic-tokens.ts';
import { betaFeatures, passthroughBody, sendAnthropicMessages } from './send-anthropic-messages.ts';
import { anthropicApiRoot } from './anthropic-api-root.ts';

/** What the headers of one call depend on. */
interface HeaderInput {
  apiKey: string | undefined;
  clientHeaders?: IncomingHttpHeaders;
  /** The client's own Messages body goes up as bytes. */
  passthrough: boolean;
  /** Headers plugins add to this attempt (ProviderCall.upstreamHeaders). */
  upstreamHeaders?: Readonly<Record<string, string>>;
}

/**
 * Anthropic's Messages API. OpenAI-format calls are translated through the canonical model;
 * a call that arrived in Anthropic's own format with its body bytes intact is forwarded as is.
 * It also counts tokens for Anthropic-format clients (`count_tokens`), with the same body.
 */
export class AnthropicProvider implements Provider, TokenCounter {
  readonly settings: ProviderSettings;
  readonly nativeFormat = 'anthropic' as const;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat']);
  readonly droppedParameters: ReadonlySet<string> = new Set(['seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'service_tier', 'modalities', 'audio']);
  readonly #dependencies: ProviderDependencies;
  readonly #url: string;
  readonly #countTokensUrl: string;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    this.#url = `${anthropicApiRoot(settings.baseUrl)}/messages`;
    this.#countTokensUrl = `${this.#url}/count_tokens`;
  }

  #headers(input: HeaderInput): Record<string, string> {
    const headers: Record<string, string> = { ...input.upstreamHeaders, 'anthropic-version': anthropicVersion, ...this.settings.headers };
    // Forwarded bytes are written in the client's API version: it goes up with them (the default only when the client named none).
    const clientVersion = input.clientHeaders?.['anthropic-version'];
    if (input.passthrough && typeof clientVersion === 'string' && clientVersion.trim() !== '') headers['anthropic-version'] = clientVersion.trim();
    if (input.apiKey) headers['x-api-key'] = input.apiKey;
    const betas = betaFeatures(headers['anthropic-beta'], input.clientHeaders?.['anthropic-beta']);
    if (betas) headers['anthropic-beta'] = betas;
    return headers;
  }

  /** Anthropic's error mapping, the call's key scrubbed (for the shared post helpers); an Anthropic-format client gets Anthropic's own error. */
  #mapError(apiKey: string | undefined, forAnthropicClient: boolean): UpstreamErrorMapper {
    const options = { forAnthropicClient };
    return (status, headers, text) => mapAnthropicError(this.settings.name, status, headers, text, apiKey, options);
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    if (call.operation !== 'chat') throw errors.operationNotSupported(this.settings.name, call.operation);
    const url = this.#url;
    const headers = this.#headers({ apiKey: call.apiKey, clientHeaders: call.clientHeaders, passthrough: call.clientFormat === 'anthropic' && call.rawBody !== null, upstreamHeaders: call.upstreamHeaders });
    const mapError = this.#mapError(call.apiKey, call.clientFormat === 'anthropic');
    return sendAnthropicMessages(this.#dependencies.upstream, this.settings, call, { url: () => url, headers, mapError, secret: call.apiKey, logger: this.#dependencies.logger });
  }

  /** Anthropic's own count of a Messages request (POST /v1/messages/count_tokens), the client's body passed through. */
  async countTokens(call: TokenCountCall): Promise<TokenCountReply> {
    const headers = { 'content-type': 'application/json', ...this.#headers({ apiKey: call.apiKey, clientHeaders: call.clientHeaders, passthrough: true }) };
    const body = passthroughBody(call, call.rawBody);
    const request = { url: this.#countTokensUrl, headers, body, signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
    const response = await postWhole(this.#dependencies.upstream, request, this.#mapError(call.apiKey, true));
    return { body: response.body, headers: keptAnthropicHeaders(response.headers, true) };
  }
}
