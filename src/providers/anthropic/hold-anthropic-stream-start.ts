import { SseParser, type ServerSentEvent } from '../../upstream/sse-parser.ts';
import type { UpstreamBody } from '../../upstream/upstream-body.ts';

/** Events Anthropic sends before the answer itself: their bytes wait with the stream's start. */
const leadingEvents = new Set(['message_start', 'ping']);

/** What the first events of a stream say: it answers, it failed (the error event's data), or not yet known. */
export type StreamStart = { kind: 'answer' } | { kind: 'error'; data: string } | null;

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
 * than the first that is not message_start or ping: the scan ends there, so the rest of the stream
 * is never parsed. Lines may end in LF, CRLF or CR, and bytes may be split anywhere.
 */
export class StreamStartScanner {
  readonly #parser = new SseParser();

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
    }
    return null;
  }
}

/**
 * Holds back the start of an Anthropic event stream that is forwarded as bytes, until its first
 * event that is not message_start or ping. Anthropic reports an overload (and other errors) under
 * load as an `error` event right there, on a 200: `onError` then makes the call's error of the
 * event's data (thrown, so retries and fallbacks apply, and the client has had no byte of the
 * stream). Otherwise the body comes back with the held bytes put back in front, to be read as if
 * untouched; a stream that ended before any answer comes back as the bytes it had. Adds no wait
 * beyond the first content event, which the client waits for anyway, and reads nothing after it.
 */
export function holdAnthropicStreamStart(body: UpstreamBody, onError: (eventData: string) => Error, onFailure: (error: unknown) => unknown): Promise<UpstreamBody | Buffer> {
  return new Promise<UpstreamBody | Buffer>((resolve, reject) => {
    const scanner = new StreamStartScanner();
    const held: Buffer[] = [];
    let heldLength = 0;
    let settled = false;
    const heldBytes = (): Buffer => (held.length === 1 ? held[0]! : Buffer.concat(held, heldLength));
    const decide = (start: StreamStart, ended: boolean): void => {
      if (start === null) return;
      settled = true;
      if (start.kind === 'error') {
        if (!ended) body.destroy();
        reject(onError(start.data));
      } else if (ended) {
        resolve(heldBytes());
      } else {
        // Back in front of what is still to come: the next reader gets every byte, in order.
        body.stopReading();
        body.unshift(heldBytes());
        resolve(body);
      }
    };
    body.read({
      piece: (piece) => {
        if (settled) return;
        held.push(piece);
        heldLength += piece.length;
        decide(scanner.push(piece), false);
      },
      end: () => {
        if (settled) return;
        decide(scanner.end(), true);
        if (!settled) {
          settled = true;
          resolve(heldBytes());
        }
      },
      error: (error) => {
        if (settled) return;
        settled = true;
        reject(onFailure(error));
      },
    });
  });
}
