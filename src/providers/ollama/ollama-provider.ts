import type { ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { readUpstreamText } from '../../upstream/read-body.ts';
import type { UpstreamRequest } from '../../upstream/upstream-client.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { OllamaChatResponse, OllamaEmbedResponse } from './ollama-api.ts';
import { ollamaRootUrl } from './ollama-base-url.ts';
import { convertOllamaResponse, type OllamaResponseContext } from './convert-ollama-response.ts';
import { convertToOllamaRequest, type OllamaRequestOptions } from './convert-to-ollama-request.ts';
import { convertOllamaEmbeddings, convertToOllamaEmbedRequest } from './ollama-embeddings.ts';
import { mapOllamaError } from './ollama-error.ts';
import { openOllamaStream } from './ollama-stream-mapper.ts';
import { toolCallIdMaker } from './ollama-tool-call-id.ts';

const errorBodyLimit = 1024 * 1024;

/** The entry's `options:` that shape every request: `keep_alive` and `num_ctx`. */
function requestOptionsOf(options: Record<string, unknown>): OllamaRequestOptions {
  const keepAlive = options.keep_alive;
  const numCtx = options.num_ctx;
  return {
    keepAlive: typeof keepAlive === 'string' || typeof keepAlive === 'number' ? keepAlive : undefined,
    numCtx: typeof numCtx === 'number' ? numCtx : undefined,
  };
}

/**
 * Ollama's native API through the canonical model: chat via /api/chat (NDJSON when streamed),
 * embeddings via /api/embed. A local server needs no credential; an API key (ollama.com) is sent
 * as a bearer token. Options: `keep_alive`, `num_ctx`.
 */
export class OllamaProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'embeddings']);
  readonly droppedParameters: ReadonlySet<string> = new Set(['logprobs', 'top_logprobs', 'logit_bias', 'parallel_tool_calls', 'user', 'service_tier']);
  readonly #dependencies: ProviderDependencies;
  readonly #root: string;
  readonly #requestOptions: OllamaRequestOptions;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    this.#root = ollamaRootUrl(settings.baseUrl);
    this.#requestOptions = requestOptionsOf(settings.options);
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
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.settings.headers };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    if (call.stream && call.operation === 'chat') headers.accept = 'application/x-ndjson';
    return { url: this.#root + path, headers, body: JSON.stringify(body), signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** A call that is not streamed: read whole within the attempt, then parsed. */
  async #postForJson<T>(path: string, body: unknown, call: ProviderCall): Promise<T> {
    const response = await this.#dependencies.upstream.requestWhole(this.#request(path, body, call));
    if (response.status >= 400) {
      throw mapOllamaError(this.settings.name, response.status, response.headers, response.body.toString('utf8', 0, errorBodyLimit), call.apiKey);
    }
    try {
      return JSON.parse(response.body.toString('utf8')) as T;
    } catch {
      throw errors.upstreamBadResponse(this.settings.name, 'the body is not JSON');
    }
  }

  /**
   * Ollama has no tool_choice; a value it cannot honour (`required`, a named function) is
   * refused under strict_params, as the gateway refuses dropped parameters, else dropped with the
   * same warning (names only, never values).
   */
  #checkUnhonoured(names: string[], call: ProviderCall): void {
    if (names.length === 0) return;
    if (this.settings.strictParams) throw errors.unsupportedParameters(this.settings.name, names);
    this.#dependencies.logger.warn({ requestId: call.requestId, provider: this.settings.name, dropped: names }, 'parameters the provider cannot honour were dropped');
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const { body, unhonoured } = convertToOllamaRequest(request, call.model, call.stream, this.#requestOptions);
    this.#checkUnhonoured(unhonoured, call);
    const context: OllamaResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), makeToolCallId: toolCallIdMaker(), provider: this.settings.name };
    if (!call.stream) {
      const answer = await this.#postForJson<OllamaChatResponse>('/api/chat', body, call);
      return { kind: 'response', response: convertOllamaResponse(answer, context) };
    }
    const response = await this.#dependencies.upstream.request(this.#request('/api/chat', body, call));
    if (response.status >= 400) {
      const text = await readUpstreamText(response, this.settings.name, errorBodyLimit);
      throw mapOllamaError(this.settings.name, response.status, response.headers, text, call.apiKey);
    }
    const provider = this.settings.name;
    const mapError = (status: number, text: string) => mapOllamaError(provider, status, {}, text, call.apiKey);
    return { kind: 'stream', chunks: await openOllamaStream(response.body, context, mapError, call.signal) };
  }

  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const { body, inputs } = convertToOllamaEmbedRequest(request, call.model, this.#requestOptions.keepAlive);
    const answer = await this.#postForJson<OllamaEmbedResponse>('/api/embed', body, call);
    return { kind: 'response', response: convertOllamaEmbeddings(answer, inputs, request, this.settings.name) };
  }
}
