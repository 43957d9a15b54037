import type { Usage } from '../canonical/chat.ts';
import type { CanonicalChunk, CanonicalResponse } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import { decodeAnthropicMessage, decodeAnthropicStream } from '../formats/anthropic/read-anthropic-passthrough.ts';
import { readOpenAiUsage } from '../formats/openai/read-openai-usage.ts';
import { takeReasoningAsReasoningContent } from '../formats/openai/openai-reasoning-field.ts';
import { openAIStreamError } from '../formats/openai/openai-stream-error.ts';
import type { ClientFormat, PassthroughReply, ResponseReply, StreamReply } from '../providers/provider.ts';
import { bodyStream, wholeBody } from '../upstream/read-body.ts';
import { mapUpstreamError } from '../upstream/upstream-client.ts';
import { translateEvents } from '../upstream/translate-pieces.ts';
import type { StreamSecretScrubber } from './stream-secret-scrubber.ts';
import type { PieceInput } from '../upstream/each-piece.ts';

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _contentType, ...rest } = headers;
  return rest;
}

/**
 * Reads OpenAI-shaped (canonical) SSE events: each data line is a chunk; an error object ends the
 * stream. A stream is whole once a choice has a finish_reason (or `[DONE]` came): one that ends
 * before was cut (a server that closed the response mid-answer), and fails as upstream_bad_response,
 * as the native adapters' streams do, rather than passing for a finished answer.
 */
function decodeOpenAIStream(body: PieceInput, provider: string, signal: AbortSignal, scrubber: StreamSecretScrubber | null): AsyncIterableIterator<CanonicalChunk> {
  let finished = false;
  const decode = (data: string): CanonicalChunk | null => {
    if (data === '[DONE]') finished = true;
    if (data === '' || data === '[DONE]') return null;
    let parsed: CanonicalChunk;
    try {
      parsed = JSON.parse(scrubber === null ? data : scrubber.scrubEvent(data)) as CanonicalChunk;
    } catch {
      throw errors.upstreamBadResponse(provider, 'an event of the stream is not JSON');
    }
    // An error event ends the stream (openAIStreamError).
    const failure = openAIStreamError(parsed);
    if (failure !== null) throw failure;
    if (!finished && hasFinishReason(parsed)) finished = true;
    // OpenRouter's `reasoning` is the canonical reasoning_content; DeepSeek's cache hits the canonical cached tokens.
    takeReasoningAsReasoningContent(parsed);
    if (parsed.usage) parsed.usage = readOpenAiUsage(parsed.usage);
    return parsed;
  };
  return translateEvents(body, {
    event: (data, emit) => {
      const chunk = decode(data);
      if (chunk) emit(chunk);
    },
    end: () => {
      if (!finished) throw errors.upstreamBadResponse(provider, 'the stream ended before the answer was finished (no finish_reason)');
    },
    error: (error) => mapUpstreamError(error, provider, signal),
  });
}

function hasFinishReason(chunk: CanonicalChunk): boolean {
  const choices = (chunk as { choices?: Array<{ finish_reason?: unknown }> }).choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) if (choice?.finish_reason) return true;
  return false;
}

/**
 * A passthrough reply in a format other than the client's (an Anthropic client served by an
 * OpenAI-compatible provider): the bytes are read into canonical objects, to be written in the
 * client's format like any translated reply (OpenRouter's `reasoning` read as reasoning_content,
 * DeepSeek's `prompt_cache_hit_tokens` as cached tokens: read-openai-usage.ts).
 */
export async function decodePassthrough(reply: PassthroughReply, format: ClientFormat, provider: string, signal: AbortSignal, scrubber: StreamSecretScrubber | null = null): Promise<ResponseReply | StreamReply> {
  const headers = withoutContentType(reply.headers);
  if (reply.stream) {
    const body = bodyStream(reply.body);
    const chunks = format === 'anthropic' ? decodeAnthropicStream(body, provider, signal) : decodeOpenAIStream(body, provider, signal, scrubber);
    return { kind: 'stream', chunks, headers };
  }
  const body = await wholeBody(reply.body, provider);
  if (format === 'anthropic') return { kind: 'response', response: decodeAnthropicMessage(body, provider), headers };
  let response: CanonicalResponse;
  try {
    response = JSON.parse(body.toString('utf8')) as CanonicalResponse;
  } catch {
    throw errors.upstreamBadResponse(provider, 'the body is not JSON');
  }
  takeReasoningAsReasoningContent(response);
  const answer = response as { usage?: Usage | null };
  if (answer.usage) answer.usage = readOpenAiUsage(answer.usage);
  return { kind: 'response', response, headers };
}
