import type { ChatChunk, ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { readUpstreamText } from '../../upstream/read-body.ts';
import type { UpstreamRequest, UpstreamResponse } from '../../upstream/upstream-client.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { GeminiGenerateContentResponse } from './gemini-api.ts';
import { convertGeminiResponse, type GeminiResponseContext } from './convert-gemini-response.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';
import { convertGeminiEmbeddings, convertToGeminiEmbeddingCall } from './gemini-embeddings.ts';
import { mapGeminiError } from './gemini-error.ts';
import { GeminiStreamMapper, openGeminiStream } from './gemini-stream-mapper.ts';
import { toolCallIdMaker } from './gemini-tool-call-id.ts';

const errorBodyLimit = 1024 * 1024;

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

  /** A streamed call: the body arrives as a stream. */
  async #post(url: string, body: unknown, call: ProviderCall): Promise<UpstreamResponse> {
    const response = await this.#dependencies.upstream.request(this.#request(url, body, call));
    if (response.status >= 400) {
      const text = await readUpstreamText(response, this.settings.name, errorBodyLimit);
      throw mapGeminiError(this.settings.name, response.status, response.headers, text, call.apiKey);
    }
    return response;
  }

  /** A call that is not streamed: read whole within the attempt (UpstreamClient.requestWhole), then parsed. */
  async #postForJson<T>(url: string, body: unknown, call: ProviderCall): Promise<T> {
    const response = await this.#dependencies.upstream.requestWhole(this.#request(url, body, call));
    if (response.status >= 400) {
      const text = response.body.toString('utf8', 0, errorBodyLimit);
      throw mapGeminiError(this.settings.name, response.status, response.headers, text, call.apiKey);
    }
    return this.#parseJson<T>(response.body.toString('utf8'));
  }

  #parseJson<T>(text: string): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw errors.upstreamBadResponse(this.settings.name, 'the body is not JSON');
    }
  }

  async #readJson<T>(response: UpstreamResponse): Promise<T> {
    return this.#parseJson<T>(await readUpstreamText(response, this.settings.name));
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const safetySettings = this.settings.options.safety_settings;
    const body = convertToGeminiRequest(request, call.model, { safetySettings: Array.isArray(safetySettings) ? safetySettings : undefined });
    const context: GeminiResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), makeToolCallId: toolCallIdMaker(), provider: this.settings.name };
    if (!call.stream) {
      const answer = await this.#postForJson<GeminiGenerateContentResponse>(`${this.#apiRoot}/${geminiModelPath(call.model)}:generateContent`, body, call);
      return { kind: 'response', response: convertGeminiResponse(answer, context) };
    }
    const response = await this.#post(`${this.#apiRoot}/${geminiModelPath(call.model)}:streamGenerateContent?alt=sse`, body, call);

    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream') && contentType.includes('json')) {
      // Without SSE framing Gemini streams one JSON array of responses; map it all the same.
      const events = await this.#readJson<GeminiGenerateContentResponse | GeminiGenerateContentResponse[]>(response);
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
    const body = await this.#postForJson<Parameters<typeof convertGeminiEmbeddings>[0]>(`${this.#apiRoot}/${modelPath}:${embeddingCall.method}`, embeddingCall.body, call);
    return { kind: 'response', response: convertGeminiEmbeddings(body, embeddingCall, request, this.settings.name) };
  }
}
