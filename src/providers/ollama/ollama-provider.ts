import type { ChatRequest } from '../../canonical/chat.ts';
import type { CompletionRequest } from '../../canonical/completions.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { UpstreamRequest } from '../../upstream/upstream-client.ts';
import { postForJson, postForStream, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import { refuseOrDropParameters } from '../refuse-or-drop-parameters.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { OllamaChatResponse, OllamaEmbedResponse, OllamaGenerateResponse } from './ollama-api.ts';
import { ollamaRootUrl } from './ollama-base-url.ts';
import { convertOllamaGenerateResponse, openOllamaGenerateStream, type OllamaCompletionContext } from './convert-ollama-generate-response.ts';
import { convertOllamaResponse, type OllamaResponseContext } from './convert-ollama-response.ts';
import { convertToOllamaGenerateRequest } from './convert-to-ollama-generate-request.ts';
import { convertToOllamaRequest } from './convert-to-ollama-request.ts';
import type { OllamaRequestOptions } from './ollama-options.ts';
import { convertOllamaEmbeddings, convertToOllamaEmbedRequest } from './ollama-embeddings.ts';
import { mapOllamaError } from './ollama-error.ts';
import { openOllamaStream } from './ollama-stream-mapper.ts';
import { toolCallIdMaker } from './ollama-tool-call-id.ts';
import { openAIOnlyParameters } from '../openai-only-parameters.ts';

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
 * Ollama's native API through the canonical model: chat via /api/chat, legacy text completions
 * via /api/generate (both NDJSON when streamed), embeddings via /api/embed. A local server needs
 * no credential; an API key (ollama.com) is sent as a bearer token. Options: `keep_alive`, `num_ctx`.
 */
export class OllamaProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'completions', 'embeddings']);
  /**
   * Warned about, or refused under strict_params, by name: Ollama has nothing for them (OpenAI's
   * web search, verbosity, stored completions, predicted outputs, safety_identifier among them).
   * `parallel_tool_calls: false` and a tool_choice Ollama cannot force are by value (convertToOllamaRequest).
   */
  readonly droppedParameters: ReadonlySet<string> = new Set(['logprobs', 'top_logprobs', 'logit_bias', 'user', 'service_tier', 'modalities', 'audio', ...openAIOnlyParameters]);
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
      case 'completions':
        return this.#completions(call.request as CompletionRequest, call);
      case 'embeddings':
        return this.#embeddings(call.request as EmbeddingRequest, call);
      default:
        throw errors.operationNotSupported(this.settings.name, call.operation);
    }
  }

  #request(path: string, body: unknown, call: ProviderCall): UpstreamRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...call.upstreamHeaders, ...this.settings.headers };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    if (call.stream && (call.operation === 'chat' || call.operation === 'completions')) headers.accept = 'application/x-ndjson';
    return { url: this.#root + path, headers, body: JSON.stringify(body), signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** Ollama's error mapping, the call's key scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapOllamaError(this.settings.name, status, headers, text, call.apiKey);
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const { body, unhonoured } = convertToOllamaRequest(request, call.model, call.stream, this.#requestOptions);
    refuseOrDropParameters(unhonoured, this.settings, this.#dependencies.logger, call.requestId);
    const context: OllamaResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), makeToolCallId: toolCallIdMaker(), provider: this.settings.name };
    if (!call.stream) {
      const answer = await postForJson<OllamaChatResponse>(this.#dependencies.upstream, this.#request('/api/chat', body, call), this.#mapError(call));
      return { kind: 'response', response: convertOllamaResponse(answer, context) };
    }
    const response = await postForStream(this.#dependencies.upstream, this.#request('/api/chat', body, call), this.#mapError(call));
    const provider = this.settings.name;
    const mapError = (status: number, text: string) => mapOllamaError(provider, status, {}, text, call.apiKey);
    return { kind: 'stream', chunks: await openOllamaStream(response.body, context, mapError, call.signal) };
  }

  /** A legacy text completion (POST /v1/completions) through /api/generate, answered as OpenAI's text_completion. */
  async #completions(request: CompletionRequest, call: ProviderCall): Promise<ProviderReply> {
    const plan = convertToOllamaGenerateRequest(request, call.model, call.stream, this.#requestOptions);
    refuseOrDropParameters(plan.unhonoured, this.settings, this.#dependencies.logger, call.requestId);
    const includeUsage = request.stream_options?.include_usage === true;
    const context: OllamaCompletionContext = { id: `cmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), provider: this.settings.name, echo: plan.echo, includeUsage };
    if (!call.stream) {
      const answer = await postForJson<OllamaGenerateResponse>(this.#dependencies.upstream, this.#request('/api/generate', plan.body, call), this.#mapError(call));
      return { kind: 'response', response: convertOllamaGenerateResponse(answer, context) };
    }
    const response = await postForStream(this.#dependencies.upstream, this.#request('/api/generate', plan.body, call), this.#mapError(call));
    const provider = this.settings.name;
    const mapError = (status: number, text: string) => mapOllamaError(provider, status, {}, text, call.apiKey);
    return { kind: 'stream', chunks: await openOllamaGenerateStream(response.body, context, mapError, call.signal) };
  }

  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const { body, inputs } = convertToOllamaEmbedRequest(request, call.model, this.#requestOptions.keepAlive);
    const answer = await postForJson<OllamaEmbedResponse>(this.#dependencies.upstream, this.#request('/api/embed', body, call), this.#mapError(call));
    return { kind: 'response', response: convertOllamaEmbeddings(answer, inputs, request, this.settings.name) };
  }
}
