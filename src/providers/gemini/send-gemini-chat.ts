import type { ChatChunk, ChatRequest, Usage } from '../../canonical/chat.ts';
import { readUpstreamText } from '../../upstream/read-body.ts';
import type { UpstreamRequest } from '../../upstream/upstream-client.ts';
import { parseUpstreamJson, postForJson, postForStream, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { GeminiGenerateContentResponse } from './gemini-api.ts';
import { convertGeminiResponse, type GeminiResponseContext } from './convert-gemini-response.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';
import { GeminiStreamMapper, openGeminiStream } from './gemini-stream-mapper.ts';
import { toolCallIdMaker } from './gemini-tool-call-id.ts';
import { geminiToolNamesOf } from './gemini-tool-names.ts';
import { geminiJsonModeTool } from './gemini-json-mode.ts';
import { geminiUnhonouredParameters } from './gemini-unhonoured-parameters.ts';
import { refuseOrDropParameters } from '../refuse-or-drop-parameters.ts';

/**
 * Where a generateContent call goes and how it is authenticated: Google AI Studio
 * (`{root}/models/{model}`, `x-goog-api-key`) and Vertex AI
 * (`.../projects/{p}/locations/{l}/publishers/google/models/{model}`, a bearer token) take the
 * same body and answer alike.
 */
export interface GeminiChatEndpoint {
  /** The model's resource URL; `:generateContent` or `:streamGenerateContent?alt=sse` is appended. */
  modelUrl: string;
  /** The auth header and the provider's configured headers (content-type and accept are added here). */
  headers: Record<string, string>;
  /** The provider's error mapping, its secrets bound; also maps an error event inside the stream. */
  mapError: UpstreamErrorMapper;
  /** True for Vertex AI, which requires `fileData.mimeType` (the Gemini API infers it). */
  fileMimeTypeRequired?: boolean;
}

/**
 * A chat call in Gemini's generateContent format through the canonical model: the request
 * converted, the answer (JSON, an SSE stream, or a stream answered as one JSON array) mapped
 * back. `options.safety_settings` of the provider is sent with every request. Values Gemini cannot
 * honour (gemini-unhonoured-parameters.ts) are warned about, or refused under strict_params, first.
 */
export async function sendGeminiChat(dependencies: ProviderDependencies, settings: ProviderSettings, call: ProviderCall, endpoint: GeminiChatEndpoint): Promise<ProviderReply> {
  const upstream = dependencies.upstream;
  const request = call.request as ChatRequest;
  const provider = settings.name;
  refuseOrDropParameters(geminiUnhonouredParameters(request, call.model), settings, dependencies.logger, call.requestId);
  const safetySettings = settings.options.safety_settings;
  const toolNames = geminiToolNamesOf(request);
  const jsonTool = geminiJsonModeTool(request, call.model, toolNames);
  const body = JSON.stringify(
    convertToGeminiRequest(request, call.model, { safetySettings: Array.isArray(safetySettings) ? safetySettings : undefined, fileMimeTypeRequired: endpoint.fileMimeTypeRequired, toolNames, jsonTool }),
  );
  const context: GeminiResponseContext = { id: `chatcmpl-${call.requestId}`, model: request.model, created: Math.floor(Date.now() / 1000), makeToolCallId: toolCallIdMaker(), provider, toolNames };
  if (jsonTool) context.jsonToolName = jsonTool.name;
  // Google's finishMessage says what was wrong with the call (e.g. the text it could not parse).
  context.onFailedToolCall = (reason, finishMessage) =>
    dependencies.logger.warn({ requestId: call.requestId, provider, model: call.model, finishReason: reason, finishMessage }, 'gemini ended a candidate with a failed function call');
  const upstreamRequest = (url: string, accept: string | undefined): UpstreamRequest => ({
    url,
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}), ...endpoint.headers },
    body,
    signal: call.signal,
    timeouts: settings.timeouts,
    provider,
  });
  if (!call.stream) {
    const answer = await postForJson<GeminiGenerateContentResponse>(upstream, upstreamRequest(`${endpoint.modelUrl}:generateContent`, undefined), endpoint.mapError);
    return { kind: 'response', response: convertGeminiResponse(answer, context) };
  }
  const response = await postForStream(upstream, upstreamRequest(`${endpoint.modelUrl}:streamGenerateContent?alt=sse`, 'text/event-stream'), endpoint.mapError);

  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.includes('text/event-stream') && contentType.includes('json')) {
    // Without SSE framing Gemini streams one JSON array of responses; map it all the same.
    const events = parseUpstreamJson<GeminiGenerateContentResponse | GeminiGenerateContentResponse[]>(await readUpstreamText(response, provider), provider);
    const mapper = new GeminiStreamMapper(context);
    const chunks: ChatChunk[] = [];
    for (const event of Array.isArray(events) ? events : [events]) chunks.push(...mapper.push(event));
    chunks.push(...mapper.end());
    return { kind: 'stream', chunks: (async function* () { yield* chunks; })() };
  }
  const mapStreamError = (status: number, text: string) => endpoint.mapError(status, {}, text);
  // Gemini repeats usageMetadata (the prompt's count included) on every event: kept for a stream cut
  // before its end, and told to the pipeline (an event with usage but no candidates starts no answer).
  let reported: Usage | null = null;
  const onUsage = (usage: Usage) => {
    reported = usage;
    call.onReportedUsage?.(usage);
  };
  const chunks = await openGeminiStream(response.body, context, mapStreamError, call.signal, onUsage);
  return { kind: 'stream', chunks, reportedUsage: () => reported };
}
