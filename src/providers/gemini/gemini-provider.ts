import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { UpstreamRequest } from '../../upstream/upstream-client.ts';
import { mapWithConcurrency } from '../map-with-concurrency.ts';
import { postForJson, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import type { GeminiBatchEmbedContentsResponse, GeminiEmbedContentResponse } from './gemini-api.ts';
import { convertToGeminiEmbeddingCalls, geminiEmbeddingVectors, type GeminiEmbeddingCall } from './gemini-embeddings.ts';
import { mapGeminiError } from './gemini-error.ts';
import { normaliseShortenedEmbeddings } from './normalise-shortened-embeddings.ts';
import { sendGeminiChat } from './send-gemini-chat.ts';
import { openAIOnlyParameters } from '../openai-only-parameters.ts';

/** The chat parameters Gemini has no equivalent for (the vertex provider checks the same for Gemini models). */
export const geminiDroppedParameters: readonly string[] = ['logit_bias', 'user', 'service_tier', 'modalities', 'audio', ...openAIOnlyParameters];

/** Embedding batches in flight at once for a long input list (each holds up to 100 inputs). */
const embeddingCallsAtOnce = 4;

/** A model named with its collection: `models/gemini-2.5-flash`, `tunedModels/my-model`. */
const collectionName = /^(models|tunedModels)\/([^/]+)$/;

/**
 * `gemini-2.5-flash` -> `models/gemini-2.5-flash`; a name with its collection (`tunedModels/x`)
 * keeps it. Anything else is one path segment, its slashes encoded: a client's model name must not
 * walk the URL (`gemini-2.5-flash/../models/gemini-2.5-pro` reached another model with the
 * operator's key, past a key's allowed-model glob).
 */
export function geminiModelPath(model: string): string {
  const collection = collectionName.exec(model);
  if (collection !== null && collection[2] !== '.' && collection[2] !== '..') return `${collection[1]}/${encodeURIComponent(collection[2])}`;
  return `models/${encodeURIComponent(model)}`;
}

/** The API root: GEMINI_BASE_URL is a host (the SDKs' convention); a base that names a version is used as is. */
export function geminiApiRoot(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/v1(alpha|beta\d*)?$/.test(base) ? base : `${base}/v1beta`;
}

/**
 * Google's Gemini API (AI Studio, generativelanguage.googleapis.com) through the canonical model:
 * chat via :generateContent and :streamGenerateContent?alt=sse, embeddings via :embedContent and
 * :batchEmbedContents. Auth is the `x-goog-api-key` header. Options: `safety_settings` (Gemini's
 * safetySettings array, sent with every chat request), `embedding_task_type`.
 */
export class GeminiProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'embeddings']);
  /**
   * Warned about, or refused under strict_params, by name: Gemini has nothing for them (OpenAI's web
   * search, verbosity, stored completions, predicted outputs, safety_identifier among them).
   * `parallel_tool_calls: false`, and thinking asked of a model without it, are by value
   * (gemini-unhonoured-parameters.ts).
   */
  readonly droppedParameters: ReadonlySet<string> = new Set(geminiDroppedParameters);
  readonly #dependencies: ProviderDependencies;
  readonly #apiRoot: string;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    this.#apiRoot = geminiApiRoot(settings.baseUrl);
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    switch (call.operation) {
      case 'chat':
        return this.#chat(call);
      case 'embeddings':
        return this.#embeddings(call.request as EmbeddingRequest, call);
      default:
        throw errors.operationNotSupported(this.settings.name, call.operation);
    }
  }

  #request(url: string, body: unknown, call: ProviderCall): UpstreamRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...call.upstreamHeaders, ...this.settings.headers };
    if (call.apiKey) headers['x-goog-api-key'] = call.apiKey;
    return { url, headers, body: JSON.stringify(body), signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** Gemini's error mapping, the call's key scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapGeminiError(this.settings.name, status, headers, text, call.apiKey);
  }

  #chat(call: ProviderCall): Promise<ProviderReply> {
    const headers: Record<string, string> = { ...call.upstreamHeaders, ...this.settings.headers };
    if (call.apiKey) headers['x-goog-api-key'] = call.apiKey;
    return sendGeminiChat(this.#dependencies, this.settings, call, { modelUrl: `${this.#apiRoot}/${geminiModelPath(call.model)}`, headers, mapError: this.#mapError(call) });
  }

  /**
   * Embeddings: one :embedContent, or :batchEmbedContents calls of up to 100 inputs (a few at
   * once); the vectors are joined in input order, and scaled to unit length when `dimensions`
   * shortened them (normalise-shortened-embeddings.ts). A failed call fails the request, and the
   * calls still in flight are cancelled.
   */
  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const taskType = this.settings.options.embedding_task_type;
    const modelPath = geminiModelPath(call.model);
    const calls = convertToGeminiEmbeddingCalls(request, decodeURIComponent(modelPath), typeof taskType === 'string' ? taskType : undefined);
    const mapError = this.#mapError(call);
    const send = async (embeddingCall: GeminiEmbeddingCall, signal: AbortSignal): Promise<number[][]> => {
      const upstreamRequest = { ...this.#request(`${this.#apiRoot}/${modelPath}:${embeddingCall.method}`, embeddingCall.body, call), signal };
      const body = await postForJson<GeminiEmbedContentResponse & GeminiBatchEmbedContentsResponse>(this.#dependencies.upstream, upstreamRequest, mapError);
      return geminiEmbeddingVectors(body, embeddingCall, this.settings.name);
    };
    // The first failure cancels the calls in flight and starts no other; it is what the request fails with.
    const results = await mapWithConcurrency(calls, embeddingCallsAtOnce, call.signal, send);
    return { kind: 'response', response: toEmbeddingResponse(normaliseShortenedEmbeddings(results.flat(), request), calls.flatMap((item) => item.inputs), undefined, request) };
  }
}
