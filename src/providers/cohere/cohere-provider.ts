import type { ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { readUpstreamText } from '../../upstream/read-body.ts';
import type { UpstreamRequest, UpstreamResponse } from '../../upstream/upstream-client.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { CohereChatResponse, CohereEmbedResponse } from './cohere-api.ts';
import { convertCohereEmbeddings, convertToCohereEmbedRequest } from './cohere-embeddings.ts';
import { mapCohereError } from './cohere-error.ts';
import { mapCohereStream } from './cohere-stream-mapper.ts';
import { convertCohereResponse, type CohereResponseContext } from './convert-cohere-response.ts';
import { convertToCohereRequest } from './convert-to-cohere-request.ts';

/** Error bodies are small; a bigger one is not worth holding. */
const errorBodyLimit = 1024 * 1024;

/** The API root: CO_API_URL is a host (Cohere's SDKs add /v2/...); a base that already ends in /v2 is used as is. */
export function cohereApiRoot(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v2') ? base : `${base}/v2`;
}

/**
 * Cohere's v2 API through the canonical model: chat via POST /v2/chat (streamed as typed SSE
 * events), embeddings via POST /v2/embed. Auth is `Authorization: Bearer <key>`. Option:
 * `embedding_input_type` (Cohere's input_type for embeddings; default search_document).
 */
export class CohereProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'embeddings']);
  readonly droppedParameters: ReadonlySet<string> = new Set(['logprobs', 'top_logprobs', 'logit_bias', 'user', 'service_tier', 'reasoning_effort']);
  readonly #dependencies: ProviderDependencies;
  readonly #apiRoot: string;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    this.#apiRoot = cohereApiRoot(settings.baseUrl);
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    switch (call.operation) {
      case 'chat':
        return this.#chat(call.request as ChatRequest, call);
      case 'embeddings':
        return this.#embeddings(call.request as EmbeddingRequest, call);
      default:
        throw errors.operationNotSupported(this.settings.name, call.operation);
    }
  }

  #request(path: string, body: unknown, call: ProviderCall): UpstreamRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...this.settings.headers };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    if (call.stream && call.operation === 'chat') headers.accept = 'text/event-stream';
    return { url: `${this.#apiRoot}${path}`, headers, body: JSON.stringify(body), signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** A streamed call: the body arrives as a stream. */
  async #post(path: string, body: unknown, call: ProviderCall): Promise<UpstreamResponse> {
    const response = await this.#dependencies.upstream.request(this.#request(path, body, call));
    if (response.status >= 400) {
      const text = await readUpstreamText(response, this.settings.name, errorBodyLimit);
      throw mapCohereError(this.settings.name, response.status, response.headers, text, call.apiKey);
    }
    return response;
  }

  /** A call that is not streamed: read whole within the attempt (UpstreamClient.requestWhole), then parsed. */
  async #postForJson<T>(path: string, body: unknown, call: ProviderCall): Promise<T> {
    const response = await this.#dependencies.upstream.requestWhole(this.#request(path, body, call));
    if (response.status >= 400) {
      const text = response.body.toString('utf8', 0, errorBodyLimit);
      throw mapCohereError(this.settings.name, response.status, response.headers, text, call.apiKey);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw errors.upstreamBadResponse(this.settings.name, 'the body is not JSON');
    }
    if (parsed === null || typeof parsed !== 'object') throw errors.upstreamBadResponse(this.settings.name, 'the body is not a JSON object');
    return parsed as T;
  }

  /**
   * Parameters whose value Cohere cannot honour (a named tool_choice, n > 1,
   * parallel_tool_calls: false): refused under strict_params, as the gateway refuses
   * droppedParameters, otherwise left out with a warning that names them (never their values).
   */
  #checkUnhonoured(names: string[], call: ProviderCall): void {
    if (names.length === 0) return;
    if (this.settings.strictParams) throw errors.unsupportedParameters(this.settings.name, names);
    this.#dependencies.logger.warn({ requestId: call.requestId, provider: this.settings.name, dropped: names }, 'parameters the provider cannot honour were dropped');
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const plan = convertToCohereRequest(request, call.model, call.stream);
    this.#checkUnhonoured(plan.unhonoured, call);
    const context: CohereResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), provider: this.settings.name };
    if (!call.stream) {
      const answer = await this.#postForJson<CohereChatResponse>('/chat', plan.body, call);
      return { kind: 'response', response: convertCohereResponse(answer, context) };
    }
    const response = await this.#post('/chat', plan.body, call);
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.includes('json') && !contentType.includes('event-stream')) {
      response.body.dump().catch(() => {});
      throw errors.upstreamBadResponse(this.settings.name, `expected an event stream, got '${contentType}'`);
    }
    const provider = this.settings.name;
    const mapError = (status: number, text: string) => mapCohereError(provider, status, {}, text, call.apiKey);
    return { kind: 'stream', chunks: mapCohereStream(response.body, context, mapError, call.signal) };
  }

  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const inputType = this.settings.options.embedding_input_type;
    const body = convertToCohereEmbedRequest(request, call.model, this.settings.name, typeof inputType === 'string' && inputType !== '' ? inputType : undefined);
    const answer = await this.#postForJson<CohereEmbedResponse>('/embed', body, call);
    return { kind: 'response', response: convertCohereEmbeddings(answer, body, request, this.settings.name) };
  }
}
