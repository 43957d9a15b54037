import type { ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { RerankRequest } from '../../canonical/forwarded.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { UpstreamRequest } from '../../upstream/upstream-client.ts';
import { postForJson, postForStream, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import { refuseOrDropParameters } from '../refuse-or-drop-parameters.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { CohereChatResponse, CohereEmbedResponse, CohereRerankResponse } from './cohere-api.ts';
import { convertCohereEmbeddings, convertToCohereEmbedRequests } from './cohere-embeddings.ts';
import { mapCohereError } from './cohere-error.ts';
import { convertCohereRerankResponse, convertToCohereRerankRequest, documentTexts } from './cohere-rerank.ts';
import { openCohereStream } from './cohere-stream-mapper.ts';
import { convertCohereResponse, type CohereResponseContext } from './convert-cohere-response.ts';
import { convertToCohereRequest } from './convert-to-cohere-request.ts';
import { mapWithConcurrency } from '../map-with-concurrency.ts';
import { openAIOnlyParameters } from '../openai-only-parameters.ts';

/**
 * Embed calls of one request in flight at once when its inputs need several (more than 96): the
 * batches of a 2048-input request take a few round trips rather than 22, without one client
 * request opening 22 connections against the key's rate limit.
 */
const embedCallsInFlight = 4;

/** The API root: CO_API_URL is a host (Cohere's SDKs add /v2/...); a base that already ends in /v2 is used as is. */
export function cohereApiRoot(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v2') ? base : `${base}/v2`;
}

/**
 * Cohere's v2 API through the canonical model: chat via POST /v2/chat (streamed as typed SSE
 * events), embeddings via POST /v2/embed; rerank (a forwarded operation, Cohere's own shape) via
 * POST /v2/rerank. Auth is `Authorization: Bearer <key>`. Option:
 * `embedding_input_type` (Cohere's input_type for embeddings when the client sends none; default search_document).
 */
export class CohereProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'embeddings', 'rerank']);
  /** Warned about, or refused under strict_params, by name: Cohere has nothing for them (OpenAI's web search, verbosity, stored completions, predicted outputs, safety_identifier among them). */
  readonly droppedParameters: ReadonlySet<string> = new Set(['logprobs', 'top_logprobs', 'logit_bias', 'user', 'service_tier', 'reasoning_effort', 'modalities', 'audio', ...openAIOnlyParameters]);
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
      case 'rerank':
        return this.#rerank(call.request as RerankRequest, call);
      default:
        throw errors.operationNotSupported(this.settings.name, call.operation);
    }
  }

  #request(path: string, body: unknown, call: ProviderCall): UpstreamRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...call.upstreamHeaders, ...this.settings.headers };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    if (call.stream && call.operation === 'chat') headers.accept = 'text/event-stream';
    return { url: `${this.#apiRoot}${path}`, headers, body: JSON.stringify(body), signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** Cohere's error mapping, the call's key scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapCohereError(this.settings.name, status, headers, text, call.apiKey);
  }

  /** A call that is not streamed (postForJson); Cohere's answers are always objects, so anything else is refused here. */
  async #postForJson<T>(path: string, body: unknown, call: ProviderCall): Promise<T> {
    const parsed = await postForJson<unknown>(this.#dependencies.upstream, this.#request(path, body, call), this.#mapError(call));
    if (parsed === null || typeof parsed !== 'object') throw errors.upstreamBadResponse(this.settings.name, 'the body is not a JSON object');
    return parsed as T;
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const plan = convertToCohereRequest(request, call.model, call.stream);
    refuseOrDropParameters(plan.unhonoured, this.settings, this.#dependencies.logger, call.requestId);
    refuseOrDropParameters(plan.clamped, this.settings, this.#dependencies.logger, call.requestId, 'clamped');
    const context: CohereResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), provider: this.settings.name, stopSequences: plan.body.stop_sequences, returnsCitations: plan.returnsCitations };
    if (!call.stream) {
      const answer = await this.#postForJson<CohereChatResponse>('/chat', plan.body, call);
      return { kind: 'response', response: convertCohereResponse(answer, context) };
    }
    const response = await postForStream(this.#dependencies.upstream, this.#request('/chat', plan.body, call), this.#mapError(call));
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.includes('json') && !contentType.includes('event-stream')) {
      response.body.dump().catch(() => {});
      throw errors.upstreamBadResponse(this.settings.name, `expected an event stream, got '${contentType}'`);
    }
    const provider = this.settings.name;
    const mapError = (status: number, text: string) => mapCohereError(provider, status, {}, text, call.apiKey);
    return { kind: 'stream', chunks: await openCohereStream(response.body, context, mapError, call.signal) };
  }

  /**
   * Embeddings: one /v2/embed call per 96 texts (Cohere's limit), a few at a time, the vectors
   * joined in input order with the usage summed. Any call's error fails the request with that
   * error (the others are aborted): a partial list would shift every index after the gap.
   */
  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const inputType = this.settings.options.embedding_input_type;
    const bodies = convertToCohereEmbedRequests(request, call.model, this.settings.name, typeof inputType === 'string' && inputType !== '' ? inputType : undefined);
    const answers = await mapWithConcurrency(bodies, embedCallsInFlight, call.signal, (body, signal) => this.#postForJson<CohereEmbedResponse>('/embed', body, { ...call, signal }));
    return { kind: 'response', response: convertCohereEmbeddings(answers, bodies, request, this.settings.name) };
  }

  /** Rerank: the client's shape is Cohere's, so the answer goes out as JSON bytes through the forwarded delivery. */
  async #rerank(request: RerankRequest, call: ProviderCall): Promise<ProviderReply> {
    const texts = documentTexts(request);
    const answer = await this.#postForJson<CohereRerankResponse>('/rerank', convertToCohereRerankRequest(request, call.model, texts), call);
    const converted = convertCohereRerankResponse(answer, texts, request.return_documents === true, `rerank-${call.requestId}`, this.settings.name);
    return { kind: 'passthrough', status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(converted)), stream: false };
  }
}
