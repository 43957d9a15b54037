import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { unexpectedStatus } from '../post-to-upstream.ts';
import { readUpstreamBody, readUpstreamText } from '../../upstream/read-body.ts';
import type { UpstreamResponse } from '../../upstream/upstream-client.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { failureStatusOfSuccessBody, mapOpenAICompatibleError, mapOpenAIStreamStartError } from '../openai-compatible-error.ts';
import { withoutAccountIds, withoutSecret } from '../without-secrets.ts';
import { prependTopLevelField, rewriteTopLevelModel } from '../../formats/openai/rewrite-raw-body.ts';
import type { ChatRequest } from '../../canonical/chat.ts';
import { stripCanonicalExtensions } from './strip-canonical-extensions.ts';
import { refuseFileUrls } from './refuse-file-urls.ts';
import { withMaxCompletionTokens, withoutMappedReasoningEffort } from './max-completion-tokens.ts';
import { isForwardedOperation, isMultipartOperation, type MultipartLayout, type RerankRequest, type UploadFormRequest } from '../../canonical/forwarded.ts';
import { piecesWithReplacedRange } from '../../formats/openai-forwarded/multipart-form.ts';
import { rankRerankAnswer } from '../../formats/openai-forwarded/rank-rerank-answer.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import { holdStreamStart } from '../hold-stream-start.ts';
import { OpenAIStreamStartScanner } from './openai-stream-start.ts';
import { answerAsEvents } from './answer-as-events.ts';
import { eventsAsAnswer } from './events-as-answer.ts';
import { withOpenAIToolCallIdsOf } from './openai-tool-call-ids.ts';

/** Path of each operation below an OpenAI-style base URL (`.../v1`). */
export const operationPaths: Record<Operation, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  moderations: '/moderations',
  image_generations: '/images/generations',
  image_edits: '/images/edits',
  speech: '/audio/speech',
  transcriptions: '/audio/transcriptions',
  translations: '/audio/translations',
  rerank: '/rerank',
};

/** What OpenAI itself serves: everything but rerank, which it lacks. */
const openAIOperations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'completions', 'embeddings', 'moderations', 'image_generations', 'image_edits', 'speech', 'transcriptions', 'translations']);

/** OpenAI-compatible servers and the presets: OpenAI's operations, and Cohere's rerank at {base}/rerank (vLLM, Jina, Infinity, TEI). */
const compatibleOperations: ReadonlySet<Operation> = new Set<Operation>([...openAIOperations, 'rerank']);

const forwardedHeaderPrefixes = ['x-ratelimit-', 'openai-'];
/**
 * Single headers passed on as they are: OpenRouter's `x-generation-id`, the id its
 * `GET /generation?id=` takes (exact cost, the provider that served the call).
 */
const forwardedHeaderNames = new Set(['content-type', 'x-generation-id']);
/** The gateway operator's OpenAI account: not the client's business. */
const accountHeaders = new Set(['openai-organization', 'openai-project']);
/**
 * The headers that may carry the provider's own id of the call (OpenAI's, OpenRouter's, a server
 * behind Azure API Management's), first found first: the client gets it as x-upstream-request-id.
 */
const requestIdHeaders: readonly string[] = ['x-request-id', 'apim-request-id', 'x-generation-id'];

/** The most of a provider's error body read for its message (a stream or a whole body alike). */
const errorBodyLimit = 1024 * 1024;
/** The most of a whole JSON answer to a streamed call read (as UpstreamClient.requestWhole reads answers). */
const wholeAnswerLimit = 64 * 1024 * 1024;

/** Response headers of an OpenAI-compatible API that are worth passing to the client; `idHeaders` as for upstreamRequestId. */
export function forwardedHeaders(headers: Record<string, string | string[] | undefined>, idHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // for...in and a plain loop: no [name, value] array per header and no closure per call (every passed-through call runs this).
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string' || accountHeaders.has(name)) continue;
    if (forwardedHeaderNames.has(name) || hasForwardedPrefix(name)) out[name] = value;
  }
  const upstreamId = upstreamRequestId(headers, idHeaders);
  if (upstreamId !== undefined) out['x-upstream-request-id'] = upstreamId;
  return out;
}

function hasForwardedPrefix(name: string): boolean {
  for (const prefix of forwardedHeaderPrefixes) if (name.startsWith(prefix)) return true;
  return false;
}

/** The provider's id of the call, for support tickets with it (the client's x-request-id is the gateway's): the first of `idHeaders` it sent. */
export function upstreamRequestId(headers: Record<string, string | string[] | undefined>, idHeaders: readonly string[]): string | undefined {
  for (const name of idHeaders) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * The OpenAI API and every service that speaks it (the presets and `openai-compatible`).
 * The client's format is the provider's, so replies are a passthrough of the upstream bytes;
 * the client's body bytes are forwarded as is when nothing changed them.
 */
export class OpenAIProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = 'openai' as const;
  readonly operations: ReadonlySet<Operation>;
  readonly #dependencies: ProviderDependencies;
  /** The configured base URL without trailing slashes. */
  protected readonly baseUrl: string;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.operations = settings.type === 'openai' ? openAIOperations : compatibleOperations;
  }

  /** The upstream URL of one call; Azure overrides (deployment in the path, api-version query). */
  protected urlFor(call: ProviderCall): string {
    return this.baseUrl + operationPaths[call.operation];
  }

  /**
   * The body of one call: the client's own bytes when nothing changed them; presets with quirks
   * override. A chat request the gateway writes itself loses the canonical extensions when it came
   * in another client format, and names its limit as OpenAI's reasoning models want
   * (takesMaxCompletionTokens).
   */
  protected bodyFor(call: ProviderCall): string | Buffer {
    if (call.rawBody !== null) {
      // Forward the client's bytes; when only the model name differs, edit just that value.
      const raw = call.rawModelUnchanged ? call.rawBody : rewriteTopLevelModel(call.rawBody, call.model);
      if (raw !== null) return raw;
    }
    if (call.operation !== 'chat') return JSON.stringify(call.request);
    let request = call.request as ChatRequest;
    if (call.clientFormat !== 'openai') {
      if (!this.takesFileUrls) refuseFileUrls(request, this.settings.name);
      request = stripCanonicalExtensions(request, this.sendsReasoningContent);
    }
    if (this.takesMaxCompletionTokens) {
      request = withMaxCompletionTokens(request);
      // An Anthropic client's thinking, as an effort OpenAI refuses for a model that does not reason.
      if (call.clientFormat === 'anthropic') request = withoutMappedReasoningEffort(request, call.model);
    }
    return JSON.stringify(request);
  }

  /**
   * Whether a chat request the gateway writes itself sends its limit as `max_completion_tokens`
   * (max-completion-tokens.ts): OpenAI's own API takes it for every chat model and its reasoning
   * models take nothing else; OpenAI-compatible servers keep `max_tokens`. Azure overrides.
   */
  protected get takesMaxCompletionTokens(): boolean {
    return this.settings.type === 'openai';
  }

  /**
   * Whether a translated request's thinking goes up as the assistant's `reasoning_content`
   * (strip-canonical-extensions.ts): the field of the services that reason in the open (DeepSeek
   * requires it back on tool-call turns), not OpenAI's, whose chat schema has no such field.
   */
  protected get sendsReasoningContent(): boolean {
    return this.settings.type !== 'openai';
  }

  /**
   * Whether a chat `file` part may hold a URL in `file_data` (refuse-file-urls.ts): not on OpenAI's
   * own API nor Azure's, whose chat takes the file's bytes only; OpenAI-compatible services
   * (OpenRouter fetches PDFs by URL) get it as written.
   */
  protected get takesFileUrls(): boolean {
    return this.settings.type !== 'openai' && this.settings.type !== 'azure';
  }

  /** The headers that may carry the provider's id of the call, in order of preference (upstreamRequestId); Azure overrides. */
  protected get upstreamRequestIdHeaders(): readonly string[] {
    return requestIdHeaders;
  }

  /** Headers for one call; subclasses (presets with other auth) override. */
  protected headersFor(call: ProviderCall): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...call.upstreamHeaders, ...this.settings.headers };
    if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
    if (call.stream) headers.accept = 'text/event-stream';
    return headers;
  }

  /**
   * Whether a stream the client opened without `stream_options.include_usage` asks for usage anyway
   * (#withStreamUsage): yes unless the provider is told not to (`options.stream_usage: false`);
   * presets whose service always reports it say no (preset-provider.ts).
   */
  protected get asksForStreamUsage(): boolean {
    return this.settings.options.stream_usage !== false;
  }

  /**
   * The gateway needs a stream's token usage (limits, costs, logs), so a stream the client opened
   * without `stream_options.include_usage` asks for it anyway (asksForStreamUsage), and the usage
   * chunk that this added is removed before the client sees the stream: the gateway removes only
   * what it caused the provider to send. A provider that is not to be asked gets no
   * `stream_options` the gateway wrote (withoutOwnStreamOptions); an OpenAI client's own goes as sent.
   */
  #withStreamUsage(call: ProviderCall): { call: ProviderCall; injected: boolean } {
    if (!call.stream || call.operation === 'embeddings') return { call, injected: false };
    if (!this.asksForStreamUsage) return { call: withoutOwnStreamOptions(call), injected: false };
    const streamOptions = (call.request as { stream_options?: { include_usage?: boolean } | null }).stream_options;
    if (streamOptions?.include_usage === true) return { call, injected: false };
    const request = { ...call.request, stream_options: { ...streamOptions, include_usage: true } } as ProviderCall['request'];
    const rawBody = call.rawBody !== null && !('stream_options' in call.request) ? prependTopLevelField(call.rawBody, 'stream_options', { include_usage: true }) : null;
    return { call: { ...call, request, rawBody }, injected: true };
  }

  /** An error answer as a GatewayError; a server that echoes the key in its message does not get it to the client or the log. */
  #upstreamError(status: number, headers: Record<string, string | string[] | undefined>, text: string, call: ProviderCall): GatewayError {
    const error = mapOpenAICompatibleError(this.settings.name, status, headers, withoutAccountIds(withoutSecret(text, call.apiKey)));
    const upstreamId = upstreamRequestId(headers, this.upstreamRequestIdHeaders);
    if (upstreamId !== undefined) error.headers['x-upstream-request-id'] = upstreamId;
    return error;
  }

  async send(original: ProviderCall): Promise<ProviderReply> {
    if (original.operation !== 'chat' && isForwardedOperation(original.operation)) return this.#sendForwarded(original);
    // Tool-call ids this API refuses (over 40 characters, a Gemini thought signature) go up mapped.
    const { call, injected } = this.#withStreamUsage(withOpenAIToolCallIdsOf(original));
    const request = {
      url: this.urlFor(call),
      headers: this.headersFor(call),
      body: this.bodyFor(call),
      signal: call.signal,
      timeouts: this.settings.timeouts,
      provider: this.settings.name,
    };
    if (!call.stream) {
      // Not streamed: read whole, without a body stream (UpstreamClient.requestWhole).
      const whole = await this.#dependencies.upstream.requestWhole(request);
      if (whole.status >= 400) throw this.#upstreamError(whole.status, whole.headers, whole.body.toString('utf8', 0, errorBodyLimit), call);
      if (whole.status >= 300) throw unexpectedStatus(this.settings.name, whole.status);
      // A 200 that is only an error (OpenRouter, once the model has started) fails like the status it stands for.
      const failedStatus = failureStatusOfSuccessBody(whole.body);
      if (failedStatus !== null) throw this.#upstreamError(failedStatus, whole.headers, whole.body.toString('utf8', 0, errorBodyLimit), call);
      const headers = forwardedHeaders(whole.headers, this.upstreamRequestIdHeaders);
      // An event stream for a call that asked for none (a server that streams whatever it is asked): the whole answer it stands for.
      if (!String(whole.headers['content-type'] ?? '').includes('text/event-stream')) return { kind: 'passthrough', status: whole.status, headers, body: whole.body, stream: false };
      return { kind: 'passthrough', status: whole.status, headers: { ...headers, 'content-type': 'application/json' }, body: eventsAsAnswer(call.operation, whole.body, this.settings.name, (data) => withoutAccountIds(withoutSecret(data, call.apiKey))), stream: false };
    }
    const response = await this.#dependencies.upstream.request(request);
    if (response.status >= 400) throw this.#upstreamError(response.status, response.headers, await readUpstreamText(response, this.settings.name, errorBodyLimit), call);
    if (response.status >= 300) {
      response.body.dump().catch(() => {});
      throw unexpectedStatus(this.settings.name, response.status);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    const isEventStream = contentType.includes('text/event-stream');
    if (!isEventStream && !contentType.includes('json')) {
      response.body.dump().catch(() => {});
      throw errors.upstreamBadResponse(this.settings.name, `expected an event stream, got '${contentType || 'no content type'}'`);
    }
    if (!isEventStream) return this.#wholeAnswerAsStream(response, original, call);
    // An error object as the stream's first event (OpenAI, vLLM, OpenRouter fail a stream that way
    // after its 200) fails the call before the client has a byte of it, so retries and fallbacks
    // apply; a normal stream's first bytes go on as soon as they show it is not one.
    const body = await holdStreamStart(response.body, new OpenAIStreamStartScanner(), (data) => this.#streamStartError(data, response.headers, call), (error) => mapUpstreamError(error, this.settings.name, call.signal));
    return { kind: 'passthrough', status: response.status, headers: forwardedHeaders(response.headers, this.upstreamRequestIdHeaders), body, stream: true, dropUsageChunk: injected };
  }

  /**
   * A streamed call the provider answered with one JSON body (a server that ignores `stream`):
   * the answer as the event stream it stands for (answer-as-events.ts), so the client that asked
   * for a stream gets one in its format; the usage chunk reaches it only when it asked for usage.
   * A 200 that is only an error fails like the status it stands for, as for a call not streamed.
   */
  async #wholeAnswerAsStream(response: UpstreamResponse, original: ProviderCall, call: ProviderCall): Promise<ProviderReply> {
    const body = await readUpstreamBody(response.body, this.settings.name, wholeAnswerLimit);
    const failedStatus = failureStatusOfSuccessBody(body);
    if (failedStatus !== null) throw this.#upstreamError(failedStatus, response.headers, body.toString('utf8', 0, errorBodyLimit), call);
    const events = answerAsEvents(call.operation, body, this.settings.name);
    const clientAsked = (original.request as { stream_options?: { include_usage?: boolean } | null }).stream_options?.include_usage === true;
    const headers = { ...forwardedHeaders(response.headers, this.upstreamRequestIdHeaders), 'content-type': 'text/event-stream; charset=utf-8' };
    return { kind: 'passthrough', status: response.status, headers, body: events, stream: true, dropUsageChunk: !clientAsked };
  }

  /**
   * The error a stream's first event reports, the key and account ids scrubbed, with the
   * provider's error object as sent (mapOpenAIStreamStartError) and request id.
   */
  #streamStartError(eventData: string, headers: Record<string, string | string[] | undefined>, call: ProviderCall): GatewayError {
    let error: GatewayError | null = null;
    try {
      error = mapOpenAIStreamStartError(JSON.parse(withoutAccountIds(withoutSecret(eventData, call.apiKey))));
    } catch {
      // The scanner only reports events that parse; a scrubbed one that no longer does is still a failure.
    }
    error ??= errors.upstreamStreamError(null, null);
    const upstreamId = upstreamRequestId(headers, this.upstreamRequestIdHeaders);
    if (upstreamId !== undefined) error.headers['x-upstream-request-id'] = upstreamId;
    return error;
  }

  /**
   * Moderations, images, audio and rerank: the client's body goes up as it came (an upload form too, with only its
   * `model` value replaced), and the answer comes back as bytes whatever their type. Speech and
   * streams are read as they arrive; the rest whole. A rerank answer is put in score order and cut
   * to `top_n` where the server did not (rankRerankAnswer).
   */
  async #sendForwarded(call: ProviderCall): Promise<ProviderReply> {
    const headers = this.headersFor(call);
    let body: string | Buffer | Buffer[];
    if (isMultipartOperation(call.operation)) {
      const form = (call.request as UploadFormRequest).form;
      body = multipartBody(call, form);
      headers['content-type'] = form.contentType;
    } else body = this.bodyFor(call);
    const request = { url: this.urlFor(call), headers, body, signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
    if (call.operation !== 'speech' && !call.stream) {
      const whole = await this.#dependencies.upstream.requestWhole(request);
      if (whole.status >= 400) throw this.#upstreamError(whole.status, whole.headers, whole.body.toString('utf8', 0, errorBodyLimit), call);
      // An event stream where none was asked for is no answer a client of these operations can read.
      if (String(whole.headers['content-type'] ?? '').includes('text/event-stream')) throw errors.upstreamBadResponse(this.settings.name, 'a call not streamed was answered with an event stream');
      const answer = call.operation === 'rerank' ? rankRerankAnswer(whole.body, (call.request as RerankRequest).top_n) : whole.body;
      return { kind: 'passthrough', status: whole.status, headers: forwardedHeaders(whole.headers, this.upstreamRequestIdHeaders), body: answer, stream: false };
    }
    const response = await this.#dependencies.upstream.request(request);
    if (response.status >= 400) throw this.#upstreamError(response.status, response.headers, await readUpstreamText(response, this.settings.name, errorBodyLimit), call);
    return { kind: 'passthrough', status: response.status, headers: forwardedHeaders(response.headers, this.upstreamRequestIdHeaders), body: response.body, stream: true };
  }
}

/**
 * A call without the `stream_options` the gateway itself put in the request: an Anthropic or
 * Responses client's request is converted with `include_usage` asked for (convert-from-*), which a
 * provider that rejects `stream_options` (Azure before 2024-09-01-preview) refuses with 400. Its
 * usage is then estimated, as for any stream without it. An OpenAI client's request is its own.
 */
function withoutOwnStreamOptions(call: ProviderCall): ProviderCall {
  if (call.clientFormat === 'openai' || !('stream_options' in call.request)) return call;
  const { stream_options: _gatewayOwn, ...request } = call.request as Record<string, unknown>;
  return { ...call, request: request as unknown as ProviderCall['request'] };
}

/**
 * A form's bytes for one call: the client's own, with the model's value replaced when routing
 * changed it, as pieces around the client's bytes (an upload is not copied to be sent).
 */
function multipartBody(call: ProviderCall, form: MultipartLayout): Buffer | Buffer[] {
  // The bundled plugins leave forms alone (they skip these operations); a custom one that marks the body changed cannot be honoured.
  if (call.rawBody === null) throw errors.internal();
  return call.rawModelUnchanged ? call.rawBody : piecesWithReplacedRange(call.rawBody, form.modelStart, form.modelEnd, call.model);
}
