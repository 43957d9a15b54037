import type { ChatChunk, ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { readUpstreamText } from '../../upstream/read-body.ts';
import type { UpstreamRequest } from '../../upstream/upstream-client.ts';
import { parseUpstreamJson, postForJson, postForStream, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { GeminiGenerateContentResponse } from './gemini-api.ts';
import { convertGeminiResponse, type GeminiResponseContext } from './convert-gemini-response.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';
import { convertGeminiEmbeddings, convertToGeminiEmbeddingCall } from './gemini-embeddings.ts';
import { mapGeminiError } from './gemini-error.ts';
import { GeminiStreamMapper, openGeminiStream } from './gemini-stream-mapper.ts';
import { toolCallIdMaker } from './gemini-tool-call-id.ts';

/** `gemini-2.5-flash` -> `models/gemini-2.5-flash`; names with a collection (`tunedModels/x`) stay. */
export function geminiModelPath(model: string): string {
  const path = model.includes('/') ? model : `models/${model}`;
  return path.split('/').map(encodeURIComponent).join('/');
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
  readonly droppedParameters: ReadonlySet<string> = new Set(['logprobs', 'top_logprobs', 'logit_bias', 'parallel_tool_calls', 'user', 'service_tier']);
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
        return this.#chat(call.request as ChatRequest, call);
      case 'embeddings':
        return this.#embeddings(call.request as EmbeddingRequest, call);
      default:
        throw errors.operationNotSupported(this.settings.name, call.operation);
    }
  }

  #request(url: string, body: unknown, call: ProviderCall): UpstreamRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.settings.headers };
    if (call.apiKey) headers['x-goog-api-key'] = call.apiKey;
    if (call.stream && call.operation === 'chat') headers.accept = 'text/event-stream';
    return { url, headers, body: JSON.stringify(body), signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }

  /** Gemini's error mapping, the call's key scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapGeminiError(this.settings.name, status, headers, text, call.apiKey);
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const safetySettings = this.settings.options.safety_settings;
    const body = convertToGeminiRequest(request, call.model, { safetySettings: Array.isArray(safetySettings) ? safetySettings : undefined });
    const context: GeminiResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), makeToolCallId: toolCallIdMaker(), provider: this.settings.name };
    if (!call.stream) {
      const answer = await postForJson<GeminiGenerateContentResponse>(this.#dependencies.upstream, this.#request(`${this.#apiRoot}/${geminiModelPath(call.model)}:generateContent`, body, call), this.#mapError(call));
      return { kind: 'response', response: convertGeminiResponse(answer, context) };
    }
    const response = await postForStream(this.#dependencies.upstream, this.#request(`${this.#apiRoot}/${geminiModelPath(call.model)}:streamGenerateContent?alt=sse`, body, call), this.#mapError(call));

    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream') && contentType.includes('json')) {
      // Without SSE framing Gemini streams one JSON array of responses; map it all the same.
      const events = parseUpstreamJson<GeminiGenerateContentResponse | GeminiGenerateContentResponse[]>(await readUpstreamText(response, this.settings.name), this.settings.name);
      const mapper = new GeminiStreamMapper(context);
      const chunks: ChatChunk[] = [];
      for (const event of Array.isArray(events) ? events : [events]) chunks.push(...mapper.push(event));
      chunks.push(...mapper.end());
      return { kind: 'stream', chunks: (async function* () { yield* chunks; })() };
    }
    const provider = this.settings.name;
    const mapError = (status: number, text: string) => mapGeminiError(provider, status, {}, text, call.apiKey);
    return { kind: 'stream', chunks: await openGeminiStream(response.body, context, mapError, call.signal) };
  }

  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const taskType = this.settings.options.embedding_task_type;
    const modelPath = geminiModelPath(call.model);
    const embeddingCall = convertToGeminiEmbeddingCall(request, decodeURIComponent(modelPath), typeof taskType === 'string' ? taskType : undefined);
    const body = await postForJson<Parameters<typeof convertGeminiEmbeddings>[0]>(this.#dependencies.upstream, this.#request(`${this.#apiRoot}/${modelPath}:${embeddingCall.method}`, embeddingCall.body, call), this.#mapError(call));
    return { kind: 'response', response: convertGeminiEmbeddings(body, embeddingCall, request, this.settings.name) };
  }
}
