import type { ChatRequest } from '../../canonical/chat.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { UpstreamRequest, UpstreamResponse, WholeUpstreamResponse } from '../../upstream/upstream-client.ts';
import { parseUpstreamJson, postForStream, postWhole, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { anthropicVersion, type AnthropicResponse } from './anthropic-api.ts';
import { keptAnthropicHeaders, mapAnthropicError } from './anthropic-error.ts';
import { mapAnthropicEventStream } from './anthropic-stream-mapper.ts';
import { convertAnthropicResponse } from './convert-anthropic-response.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';

/**
 * Anthropic's beta features (`anthropic-beta: a,b`): the configured ones (`headers:` of the
 * provider) and the client's (the Anthropic SDKs send `betas` this way), each once.
 */
function betaFeatures(configured: string | undefined, fromClient: string | string[] | undefined): string | undefined {
  const names = [configured, ...(Array.isArray(fromClient) ? fromClient : [fromClient])]
    .flatMap((value) => (value ?? '').split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length === 0 ? undefined : [...new Set(names)].join(',');
}

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
    const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': anthropicVersion, ...this.settings.headers };
    if (call.apiKey) headers['x-api-key'] = call.apiKey;
    if (call.stream) headers.accept = 'text/event-stream';
    const betas = betaFeatures(headers['anthropic-beta'], call.clientHeaders?.['anthropic-beta']);
    if (betas) headers['anthropic-beta'] = betas;
    return headers;
  }

  #request(call: ProviderCall, body: string | Buffer): UpstreamRequest {
    return { url: this.#url, headers: this.#headers(call), body, signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** Anthropic's error mapping, the call's key scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapAnthropicError(this.settings.name, status, headers, text, call.apiKey);
  }

  /** A streamed call (postForStream): the body arrives as a stream. */
  #post(call: ProviderCall, body: string | Buffer): Promise<UpstreamResponse> {
    return postForStream(this.#dependencies.upstream, this.#request(call, body), this.#mapError(call));
  }

  /** A call that is not streamed (postWhole): read whole within the attempt; passthrough forwards its bytes. */
  #postWhole(call: ProviderCall, body: string | Buffer): Promise<WholeUpstreamResponse> {
    return postWhole(this.#dependencies.upstream, this.#request(call, body), this.#mapError(call));
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    if (call.operation !== 'chat') throw errors.operationNotSupported(this.settings.name, call.operation);
    if (call.clientFormat === 'anthropic' && call.rawBody !== null) return this.#passthrough(call, call.rawBody);

    const plan = convertToAnthropicRequest(call.request as ChatRequest, call.model, call.stream);
    if (!call.stream) {
      const whole = await this.#postWhole(call, JSON.stringify(plan.body));
      const message = parseUpstreamJson<AnthropicResponse>(whole.body.toString('utf8'), this.settings.name);
      if (message === null || typeof message !== 'object' || !Array.isArray(message.content)) throw errors.upstreamBadResponse(this.settings.name, 'the body is not a message');
      return { kind: 'response', response: convertAnthropicResponse(message, { jsonToolName: plan.jsonToolName }), headers: keptAnthropicHeaders(whole.headers) };
    }
    const response = await this.#post(call, JSON.stringify(plan.body));
    const headers = keptAnthropicHeaders(response.headers);
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      response.body.dump().catch(() => {});
      throw errors.upstreamBadResponse(this.settings.name, `expected an event stream, got '${contentType || 'no content type'}'`);
    }
    const chunks = mapAnthropicEventStream(response.body, { provider: this.settings.name, jsonToolName: plan.jsonToolName, apiKey: call.apiKey }, call.signal);
    return { kind: 'stream', chunks, headers };
  }

  /** Same format in and out: the client's bytes go up (model name swapped if routing changed it) and the reply's bytes come back. */
  async #passthrough(call: ProviderCall, rawBody: Buffer): Promise<ProviderReply> {
    let body: string | Buffer = rawBody;
    if (!call.rawModelUnchanged) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
      } catch (error) {
        throw errors.invalidJson(error instanceof Error ? error.message : 'unreadable body');
      }
      body = JSON.stringify({ ...parsed, model: call.model });
    }
    const response = call.stream ? await this.#post(call, body) : await this.#postWhole(call, body);
    const contentType = String(response.headers['content-type'] ?? '');
    const headers = keptAnthropicHeaders(response.headers);
    if (contentType) headers['content-type'] = contentType;
    return { kind: 'passthrough', status: response.status, headers, body: response.body, stream: contentType.includes('text/event-stream') };
  }
}
