import type { Usage } from '../../canonical/chat.ts';
import { SseParser } from '../../upstream/sse-parser.ts';
import { mapFromResponsesUsage } from './map-from-responses-usage.ts';

/** The events that end a Responses stream, each with the whole Response (and its usage). */
const terminalTypes = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/** `{"type":"…"` at the start of an event's data, as OpenAI writes every event. */
const leadingType = /^\s*\{\s*"type"\s*:\s*"([^"\\]+)"/;
/** The key's quotes are escaped inside any string value (output text), so a match is the event's own key. */
const sequenceNumber = /"sequence_number"\s*:\s*(\d+)/;

/**
 * Reads a Responses event stream passed through as bytes (native mode), beside the bytes the
 * client gets: the usage of its last event (`response.completed`, `response.incomplete` or
 * `response.failed` hold the whole Response), whether it ended with one, an `error` event, how many
 * output deltas came (about a token each: the ledger's estimate when no usage comes) and the last
 * `sequence_number`, so an error the gateway adds continues the numbering. Only the final event is
 * parsed as JSON; the others are told apart by their `event:` line or their leading `type`.
 */
export class ResponsesStreamTracker {
  readonly #parser = new SseParser();
  usage: Usage | null = null;
  /** A terminal event came: the answer is whole (completed, incomplete or failed). */
  finished = false;
  /** The last terminal event was `response.failed`, or an `error` event came: its message. */
  failure: { code: string; message: string } | null = null;
  outputEvents = 0;
  lastSequenceNumber = -1;

  push(piece: Buffer): void {
    for (const event of this.#parser.push(piece)) this.#read(event.event, event.data);
  }

  end(): void {
    for (const event of this.#parser.end()) this.#read(event.event, event.data);
  }

  #read(name: string | undefined, data: string): void {
    const type = name ?? leadingType.exec(data)?.[1];
    const number = sequenceNumber.exec(data);
    if (number !== null) this.lastSequenceNumber = Number(number[1]);
    if (type === undefined) return;
    if (type.endsWith('.delta')) {
      this.outputEvents++;
      return;
    }
    if (type === 'error') {
      this.failure = failureOf(data, null);
      return;
    }
    if (!terminalTypes.has(type)) return;
    this.finished = true;
    try {
      const event = JSON.parse(data) as { response?: { usage?: unknown; service_tier?: unknown; error?: unknown } };
      this.usage = mapFromResponsesUsage(event.response?.usage, event.response?.service_tier) ?? this.usage;
      if (type === 'response.failed') this.failure = failureOf(null, event.response?.error);
    } catch {
      // A final event that is not JSON: no usage to read (the ledger estimates it).
    }
  }
}

/** An error event's, or a failed Response's, code and message. */
function failureOf(data: string | null, error: unknown): { code: string; message: string } {
  let found: unknown = error;
  if (data !== null) {
    try {
      found = JSON.parse(data);
    } catch {
      found = null;
    }
  }
  const { code, message } = (found ?? {}) as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' && code !== '' ? code : 'server_error', message: typeof message === 'string' ? message : 'the stream reported an error' };
}
