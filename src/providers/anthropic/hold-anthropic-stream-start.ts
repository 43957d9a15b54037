import type { Usage } from '../../canonical/chat.ts';
import { SseParser, type ServerSentEvent } from '../../upstream/sse-parser.ts';
import type { UpstreamBody } from '../../upstream/upstream-body.ts';
import { holdStreamStart, type StreamStart, type StreamStartScanner as StartScanner } from '../hold-stream-start.ts';
import type { AnthropicUsage } from './anthropic-api.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

/**
 * Events Anthropic sends before the answer itself: their bytes wait with the stream's start. A
 * content_block_start is one: in Anthropic's own order the first block's (empty text) start comes
 * before the ping, and an overload can follow both; every block's start is followed by its deltas
 * or its content_block_stop, which end the hold.
 */
const leadingEvents = new Set(['message_start', 'ping', 'content_block_start']);

/** message_start's usage (the input side, cache reads and writes), or undefined when its data has none or is not JSON. */
function messageStartUsage(data: string): AnthropicUsage | undefined {
  try {
    const usage = (JSON.parse(data) as { message?: { usage?: unknown } } | null)?.message?.usage;
    return usage !== null && typeof usage === 'object' ? (usage as AnthropicUsage) : undefined;
  } catch {
    return undefined;
  }
}

function typeOfData(data: string): string | undefined {
  try {
    const parsed = JSON.parse(data) as { type?: unknown };
    return typeof parsed?.type === 'string' ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the first events of an Anthropic event stream (with the shared SseParser), no further
 * than the first that is not message_start, content_block_start or ping: the scan ends there, so the rest of the stream
 * is never parsed. Lines may end in LF, CRLF or CR, and bytes may be split anywhere. `onUsage` is
 * told message_start's usage: what the provider bills even if the stream is cut before content.
 */
export class StreamStartScanner implements StartScanner {
  readonly #parser = new SseParser();
  readonly #onUsage: ((usage: Usage) => void) | undefined;

  constructor(onUsage?: (usage: Usage) => void) {
    this.#onUsage = onUsage;
  }

  /** Scans a piece; null while every complete event so far was a leading one. */
  push(piece: Buffer): StreamStart {
    return this.#verdict(this.#parser.push(piece));
  }

  /** The stream ended: an event without its closing blank line still counts. */
  end(): StreamStart {
    return this.#verdict(this.#parser.end());
  }

  #verdict(events: readonly ServerSentEvent[]): StreamStart {
    for (const event of events) {
      // Its `event:` line, else its data's `type`.
      const name = event.event ?? typeOfData(event.data);
      if (name === 'error') return { kind: 'error', data: event.data };
      if (name === undefined || !leadingEvents.has(name)) return { kind: 'answer' };
      if (name === 'message_start' && this.#onUsage !== undefined) {
        const usage = messageStartUsage(event.data);
        if (usage !== undefined) this.#onUsage(mapAnthropicUsage(usage));
      }
    }
    return null;
  }
}

/**
 * Holds back the start of an Anthropic event stream that is forwarded as bytes, until its first
 * event that is not message_start, content_block_start or ping (holdStreamStart with StreamStartScanner). Anthropic
 * reports an overload (and other errors) under load as an `error` event right there, on a 200:
 * `onError` then makes the call's error of the event's data. Adds no wait beyond the first content
 * event, which the client waits for anyway, and reads nothing after it. `onUsage` is told
 * message_start's usage (ProviderCall.onReportedUsage).
 */
export function holdAnthropicStreamStart(body: UpstreamBody, onError: (eventData: string) => Error, onFailure: (error: unknown) => unknown, onUsage?: (usage: Usage) => void): Promise<UpstreamBody | Buffer> {
  return holdStreamStart(body, new StreamStartScanner(onUsage), onError, onFailure);
}
