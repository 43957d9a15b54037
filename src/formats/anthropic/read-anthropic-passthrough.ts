import type { ChatChunk, ChatResponse, Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { mapAnthropicStreamError } from '../../providers/anthropic/anthropic-error.ts';
import type { AnthropicErrorObject, AnthropicResponse, AnthropicUsage } from '../../providers/anthropic/anthropic-api.ts';
import { mapAnthropicEventStream } from '../../providers/anthropic/anthropic-stream-mapper.ts';
import { convertAnthropicResponse } from '../../providers/anthropic/convert-anthropic-response.ts';
import { mapAnthropicUsage, mergeAnthropicUsage } from '../../providers/anthropic/map-anthropic-usage.ts';
import { SseParser } from '../../upstream/sse-parser.ts';
import { cutStreamUsage } from '../../usage/cut-stream-usage.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';

/**
 * Reading an Anthropic reply the gateway forwards as bytes (Anthropic client, Anthropic
 * provider): the usage for the log phase, and the canonical view response plugins work on.
 * The conversions are the anthropic adapter's own.
 */

/** Usage (canonical) from a complete Message body, or null when it has none or is not JSON. */
export function anthropicUsageFromJsonBody(body: Buffer): Usage | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { usage?: AnthropicUsage | null };
    return parsed.usage ? mapAnthropicUsage(parsed.usage) : null;
  } catch {
    return null;
  }
}

/**
 * Follows a forwarded event stream for its usage and its end: message_start carries the input
 * side, message_delta the output, message_stop says the answer is whole, and an `error` event is
 * the provider's failure. Only message_start, message_delta and error events are decoded; the rest
 * are only framed.
 */
export class AnthropicStreamUsage {
  readonly #parser = new SseParser();
  readonly #provider: string;
  readonly #apiKey: string | undefined;
  #usage: AnthropicUsage | null = null;
  /** content_block_delta events: about one output token each, the estimate when a stream is cut. */
  #deltas = 0;
  /** message_delta carries the final output count; without it the stream was cut. */
  #finished = false;
  /** A message_stop event came whole (with its blank line, or last with data that says so). */
  #stopped = false;
  #failure: GatewayError | null = null;
  #ended = false;

  /** `provider` and `apiKey` name and scrub an `error` event's failure (mapAnthropicStreamError). */
  constructor(provider = 'upstream', apiKey?: string) {
    this.#provider = provider;
    this.#apiKey = apiKey;
  }

  push(piece: Uint8Array): void {
    for (const event of this.#parser.push(piece)) this.#read(event.event, event.data);
  }

  /** The reported usage; for a stream cut before message_delta, message_start's input side with the output estimated from the deltas sent, flagged (cutStreamUsage). */
  usage(): Usage | null {
    this.#end();
    if (this.#usage === null) return null;
    const usage = mapAnthropicUsage(this.#usage);
    return this.#finished ? usage : cutStreamUsage(usage, this.#deltas);
  }

  /**
   * Whether the stream came whole: it ended with message_stop. One cut before it, or whose events
   * were not parted by blank lines (the whole stream one event, its data not one JSON value), did not.
   */
  finished(): boolean {
    this.#end();
    return this.#stopped;
  }

  /** The provider's in-stream failure, when an `error` event came (the client got its bytes as they came; this is for the log phase and the ledger). */
  streamError(): GatewayError | null {
    return this.#failure;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const event of this.#parser.end()) {
      // The last event without its blank line: message_stop only when its data is that alone.
      if (event.event === 'message_stop' && typeOfData(event.data) !== 'message_stop') continue;
      this.#read(event.event, event.data);
    }
  }

  #read(name: string | undefined, data: string): void {
    if (name === 'content_block_delta') this.#deltas++;
    else if (name === 'message_stop') this.#stopped = true;
    else if (name === 'error') this.#readError(data);
    if (name !== undefined && name !== 'message_start' && name !== 'message_delta') return;
    if (!data.includes('"usage"')) return;
    try {
      const parsed = JSON.parse(data) as { type?: string; message?: { usage?: AnthropicUsage }; usage?: AnthropicUsage };
      const usage = parsed.type === 'message_start' ? parsed.message?.usage : parsed.type === 'message_delta' ? parsed.usage : undefined;
      if (usage) this.#usage = mergeAnthropicUsage(this.#usage ?? {}, usage);
      if (usage && parsed.type === 'message_delta') this.#finished = true;
    } catch {
      // Not ours to judge: the client gets the bytes as they are.
    }
  }

  #readError(data: string): void {
    if (this.#failure !== null) return;
    let error: AnthropicErrorObject | undefined;
    try {
      error = (JSON.parse(data) as { error?: AnthropicErrorObject } | null)?.error ?? undefined;
    } catch {
      // An error event whose data is not JSON is still the provider's failure.
    }
    this.#failure = mapAnthropicStreamError(this.#provider, error, this.#apiKey);
  }
}

function typeOfData(data: string): string | undefined {
  try {
    const type = (JSON.parse(data) as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/** A complete Message body as a canonical chat.completion. */
export function decodeAnthropicMessage(body: Buffer, provider: string): ChatResponse {
  let message: AnthropicResponse;
  try {
    message = JSON.parse(body.toString('utf8')) as AnthropicResponse;
  } catch {
    throw errors.upstreamBadResponse(provider, 'the body is not JSON');
  }
  if (message === null || typeof message !== 'object' || !Array.isArray(message.content)) throw errors.upstreamBadResponse(provider, 'the body is not a message');
  return convertAnthropicResponse(message, { jsonToolName: null });
}

/**
 * A Messages event stream as canonical chunks (ending with the usage chunk); `onUsage` is told each
 * usage the stream reports. The client speaks Anthropic's format: the chunks keep what they have no
 * field for (StreamMapperOptions.keepBlocks), so it gets the blocks the stream held.
 */
export function decodeAnthropicStream(body: PieceInput, provider: string, signal?: AbortSignal, onUsage?: (usage: Usage) => void): AsyncIterable<ChatChunk> {
  return mapAnthropicEventStream(body, { provider, jsonToolName: null, onUsage, keepBlocks: true }, signal);
}
