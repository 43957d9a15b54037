import type { Logger } from 'pino';
import { rewriteTopLevelModel } from '../../formats/openai/rewrite-raw-body.ts';
import type { ChatRequest, Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { readUpstreamBody } from '../../upstream/read-body.ts';
import { UpstreamBody } from '../../upstream/upstream-body.ts';
import { mapUpstreamError, type UpstreamClient, type UpstreamRequest, type UpstreamResponse, type WholeUpstreamResponse } from '../../upstream/upstream-client.ts';
import { parseUpstreamJson, postForStream, postWhole, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { ProviderCall, ProviderReply, ProviderSettings } from '../provider.ts';
import { refuseOrDropParameters } from '../refuse-or-drop-parameters.ts';
import type { AnthropicResponse } from './anthropic-api.ts';
import { anthropicStatusOfErrorType, keptAnthropicHeaders } from './anthropic-error.ts';
import { holdAnthropicStreamStart } from './hold-anthropic-stream-start.ts';
import { anthropicMessageAsEvents } from './anthropic-message-as-events.ts';
import { openAnthropicEventStream } from './anthropic-stream-mapper.ts';
import { convertAnthropicResponse } from './convert-anthropic-response.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';

/**
 * Where a Messages call goes and how: Anthropic's own API (one URL, `x-api-key`) and Vertex AI
 * (`:rawPredict` / `:streamRawPredict`, a bearer token, the model in the URL) take the same body
 * but for a few fields, and answer alike.
 */
export interface MessagesBodyRewrite {
  /** The edit of a parsed body (a translated request's, or a client's body when `raw` cannot edit it). */
  parsed: (body: Record<string, unknown>) => Record<string, unknown>;
  /** The same edit on an Anthropic client's bytes, every other byte kept; null when it cannot be sure of it. */
  raw: (body: Buffer) => Buffer | null;
}

export interface AnthropicMessagesEndpoint {
  /** The URL of a call, streamed or not. */
  url: (stream: boolean) => string;
  /** Auth, version and configured headers (content-type and, for streams, accept are added here). */
  headers: Record<string, string>;
  /** Rewrites a Messages body for this endpoint (Vertex: no model, an anthropic_version); without it the body is Anthropic's. */
  rewriteBody?: MessagesBodyRewrite;
  /** The provider's error mapping, its secrets bound. */
  mapError: UpstreamErrorMapper;
  /** Scrubbed from error events inside a stream, should the provider echo it. */
  secret: string | undefined;
  /** Where the warning for parameters the model cannot honour goes. */
  logger: Logger;
}

/**
 * Anthropic's beta features (`anthropic-beta: a,b`): the configured ones (`headers:` of the
 * provider) and the client's (the Anthropic SDKs send `betas` this way), each once.
 */
export function betaFeatures(configured: string | undefined, fromClient: string | string[] | undefined): string | undefined {
  const names = [configured, ...(Array.isArray(fromClient) ? fromClient : [fromClient])]
    .flatMap((value) => (value ?? '').split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length === 0 ? undefined : [...new Set(names)].join(',');
}

/**
 * A chat call to a Messages API endpoint. OpenAI-format calls are translated through the
 * canonical model; a call that arrived in Anthropic's own format with its body bytes intact is
 * forwarded (the body rewritten only where the model or the endpoint needs it) and its answer's
 * bytes come back untouched.
 */
export async function sendAnthropicMessages(upstream: UpstreamClient, settings: ProviderSettings, call: ProviderCall, endpoint: AnthropicMessagesEndpoint): Promise<ProviderReply> {
  const provider = settings.name;
  const request = (body: string | Buffer): UpstreamRequest => ({
    url: endpoint.url(call.stream),
    headers: { 'content-type': 'application/json', ...endpoint.headers, ...(call.stream ? { accept: 'text/event-stream' } : {}) },
    body,
    signal: call.signal,
    timeouts: settings.timeouts,
    provider,
  });
  // A streamed call (postForStream) leaves the body to stream; one that is not (postWhole) is read whole within the attempt.
  const post = (body: string | Buffer): Promise<UpstreamResponse> => postForStream(upstream, request(body), endpoint.mapError);
  const postWholeBody = (body: string | Buffer): Promise<WholeUpstreamResponse> => postWhole(upstream, request(body), endpoint.mapError);

  if (call.clientFormat === 'anthropic' && call.rawBody !== null) {
    const body = passthroughBody(call, call.rawBody, endpoint.rewriteBody);
    const response = call.stream ? await post(body) : await postWholeBody(body);
    const contentType = String(response.headers['content-type'] ?? '');
    const headers = keptAnthropicHeaders(response.headers, true);
    if (contentType) headers['content-type'] = contentType;
    const stream = contentType.includes('text/event-stream');
    // An event stream for a call that asked for none is no Message a client can read: a 502 before any byte, so retries and fallbacks apply.
    if (!call.stream && stream) throw errors.upstreamBadResponse(provider, 'a call not streamed was answered with an event stream');
    if (call.stream && !stream && contentType.includes('json') && !Buffer.isBuffer(response.body)) {
      // A stream asked for, a whole message answered (a server that ignores `stream`): the client gets the stream that message stands for.
      headers['content-type'] = 'text/event-stream; charset=utf-8';
      return { kind: 'passthrough', status: response.status, headers, body: await wholeMessageAsEvents(response.body, provider), stream: true };
    }
    if (!stream || Buffer.isBuffer(response.body)) return { kind: 'passthrough', status: response.status, headers, body: response.body, stream };
    // An error sent before any content (an overload right after message_start) fails the call before the client has a byte of the stream.
    const onError = (eventData: string) => streamStartError(provider, eventData, response.headers, endpoint);
    const held = await holdAnthropicStreamStart(response.body, onError, (error) => mapUpstreamError(error, provider, call.signal), call.onReportedUsage);
    return { kind: 'passthrough', status: response.status, headers, body: held, stream };
  }

  const plan = convertToAnthropicRequest(call.request as ChatRequest, call.model, call.stream);
  refuseOrDropParameters(plan.unhonoured, settings, endpoint.logger, call.requestId);
  const forAnthropicClient = call.clientFormat === 'anthropic';
  // OpenAI chat clients get thinking signatures with a digest of their text (../reasoning-signature.ts); the other formats keep Anthropic's own.
  const wrapSignatures = call.clientFormat === 'openai';
  const body = JSON.stringify(endpoint.rewriteBody ? endpoint.rewriteBody.parsed(plan.body as unknown as Record<string, unknown>) : plan.body);
  if (!call.stream) {
    const whole = await postWholeBody(body);
    const message = parseUpstreamJson<AnthropicResponse>(whole.body.toString('utf8'), provider);
    if (message === null || typeof message !== 'object' || !Array.isArray(message.content)) throw errors.upstreamBadResponse(provider, 'the body is not a message');
    return { kind: 'response', response: convertAnthropicResponse(message, { jsonToolName: plan.jsonToolName, wrapSignatures }), headers: keptAnthropicHeaders(whole.headers, forAnthropicClient) };
  }
  const response = await post(body);
  const headers = keptAnthropicHeaders(response.headers, forAnthropicClient);
  const contentType = String(response.headers['content-type'] ?? '');
  let events: UpstreamBody = response.body;
  if (!contentType.includes('text/event-stream')) {
    if (!contentType.includes('json')) {
      response.body.dump().catch(() => {});
      throw errors.upstreamBadResponse(provider, `expected an event stream, got '${contentType || 'no content type'}'`);
    }
    // A whole message for a streamed call (a server that ignores `stream`): read as the stream it stands for.
    events = UpstreamBody.of(await wholeMessageAsEvents(response.body, provider));
  }
  // message_start's usage (the input side, cache reads and writes) is kept for a stream cut before
  // its end, and told to the pipeline, which keeps it when the cut comes before the first content.
  let reported: Usage | null = null;
  const onUsage = (usage: Usage) => {
    reported = usage;
    call.onReportedUsage?.(usage);
  };
  const streamOptions = { provider, jsonToolName: plan.jsonToolName, apiKey: endpoint.secret, forAnthropicClient: forAnthropicClient ? { headers: response.headers } : undefined, onUsage, wrapSignatures, keepBlocks: forAnthropicClient };
  const chunks = await openAnthropicEventStream(events, streamOptions, call.signal);
  return { kind: 'stream', chunks, headers, reportedUsage: () => reported };
}

/** The most of a whole message answered to a streamed call read (as UpstreamClient.requestWhole reads answers). */
const wholeMessageLimit = 64 * 1024 * 1024;

/** A whole message answered to a streamed call, as Anthropic's event stream for it (anthropic-message-as-events.ts). */
async function wholeMessageAsEvents(body: UpstreamBody, provider: string): Promise<Buffer> {
  return anthropicMessageAsEvents(await readUpstreamBody(body, provider, wholeMessageLimit), provider);
}

/** The error an `error` event at the start of a forwarded stream stands for: Anthropic's own (529 for overloaded_error), as if answered before the stream. */
function streamStartError(provider: string, eventData: string, headers: Record<string, string | string[] | undefined>, endpoint: AnthropicMessagesEndpoint): Error {
  let anthropicType = 'api_error';
  try {
    const parsed = JSON.parse(eventData) as { error?: { type?: unknown } };
    if (typeof parsed.error?.type === 'string' && parsed.error.type !== '') anthropicType = parsed.error.type;
  } catch {
    return errors.upstreamBadResponse(provider, 'an event of the stream is not JSON');
  }
  return endpoint.mapError(anthropicStatusOfErrorType(anthropicType), headers, eventData);
}

/**
 * The client's bytes as they came when nothing needs changing; else the client's bytes with just
 * the routed model (or the endpoint's rewrite) edited in, so numbers beyond a double's precision
 * (a tool input's big integer) reach the provider as the client wrote them; else, when a byte edit
 * cannot be sure of itself (an escaped model name), parsed, edited and serialized.
 */
export function passthroughBody(call: Pick<ProviderCall, 'model' | 'rawModelUnchanged'>, rawBody: Buffer, rewrite?: MessagesBodyRewrite): string | Buffer {
  if (rewrite === undefined && call.rawModelUnchanged) return rawBody;
  const edited = rewrite === undefined ? rewriteTopLevelModel(rawBody, call.model) : rewrite.raw(rawBody);
  if (edited !== null) return edited;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw errors.invalidJson(error instanceof Error ? error.message : 'unreadable body');
  }
  if (!call.rawModelUnchanged) parsed = { ...parsed, model: call.model };
  return JSON.stringify(rewrite ? rewrite.parsed(parsed) : parsed);
}
