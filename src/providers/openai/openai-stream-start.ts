import { openAIStreamError } from '../../formats/openai/openai-stream-error.ts';
import { SseParser } from '../../upstream/sse-parser.ts';
import type { StreamStart, StreamStartScanner } from '../hold-stream-start.ts';

/** What the first event must hold to be parsed as a possible error. */
const errorKey = '"error"';
const answer: StreamStart = { kind: 'answer' };
/** The most of a stream's start held to tell an error from an answer. */
const firstEventLimit = 64 * 1024;
/**
 * How long keep-alive comments alone are held (from the response's headers): a first event that
 * is an error after them still fails over. Past this, the next piece (the provider's next
 * keep-alive) ends the hold and the comments go on, so a client or a proxy between that waits for
 * bytes (an idle limit of 30 or 60 s is common) keeps its connection while the model is slow to start.
 */
export const keepAliveHoldMs = 15_000;

/**
 * Reads the start of an OpenAI-format event stream (OpenAI, Azure, OpenAI-compatible servers,
 * Mistral) only as far as it takes to tell whether its first event is a failure: an error object
 * alone (`data: {"error": {...}}`, how OpenAI and vLLM fail a stream after its 200) or OpenRouter's
 * chunk with an `error` beside a choice that finished with "error". The first event is waited for
 * whole (it comes in the first piece of any real stream) and parsed only when it holds `"error"`
 * (openAIStreamError, the gateway's one reading of such events). Comment and blank lines before
 * the first event are skipped, and held with it: OpenRouter sends `: OPENROUTER PROCESSING`
 * keep-alives while it waits for a model, which is when an early failure is most likely, and an
 * error after them must still fail over. They are held for keepAliveHoldMs at most: a piece
 * that comes later, still without an event, is an answer (the comments go on to the client).
 * Nothing after the first event is read.
 */
export class OpenAIStreamStartScanner implements StreamStartScanner {
  /** The bytes so far (the first piece, in the usual case). */
  #bytes: Buffer = Buffer.alloc(0);
  readonly #now: () => number;
  /** When the hold began: the scanner is made as the response's headers come. */
  readonly #since: number;

  /** `now`: the clock the keep-alive hold is timed by (a test's own). */
  constructor(now: () => number = performance.now.bind(performance)) {
    this.#now = now;
    this.#since = now();
  }

  push(piece: Buffer): StreamStart {
    this.#bytes = this.#bytes.length === 0 ? piece : Buffer.concat([this.#bytes, piece]);
    // An error event is small: a first event still going on past this is an answer (its bytes go
    // on), not held and looked at again for every piece of it.
    if (this.#bytes.length > firstEventLimit) return answer;
    return this.#verdict(false);
  }

  end(): StreamStart {
    return this.#verdict(true) ?? answer;
  }

  #verdict(ended: boolean): StreamStart {
    const bytes = this.#bytes;
    let at = 0;
    // Comment and blank lines before the first field.
    while (at < bytes.length && (bytes[at] === 58 || bytes[at] === 10 || bytes[at] === 13)) {
      if (bytes[at] !== 58) {
        at++;
        continue;
      }
      const lineEnd = endOfLine(bytes, at);
      // A comment line cut between pieces: held until its end, as a whole one.
      if (lineEnd === -1) return this.#keepAliveOnly(ended);
      at = lineEnd;
    }
    // Only keep-alive comments so far (OpenRouter's, while the model has not started): held, so
    // that an error event after them fails over, unless the hold has gone on too long.
    if (at >= bytes.length) return this.#keepAliveOnly(ended);
    const dataStart = at;
    // `data:`.
    for (const expected of 'data:') {
      if (at >= bytes.length) return ended ? answer : null;
      if (bytes[at] !== expected.charCodeAt(0)) return answer;
      at++;
    }
    // The whole first event decides (it comes in the first piece of any real stream): an error
    // object alone, or OpenRouter's chunk with an `error` beside a choice that finished with "error".
    const eventEnd = endOfEvent(bytes, dataStart);
    if (eventEnd === -1 && !ended) return null;
    const event = bytes.subarray(dataStart, eventEnd === -1 ? bytes.length : eventEnd);
    return event.includes(errorKey) ? errorOfEvent(event) : answer;
  }

  /**
   * Comment and blank lines alone so far: still held (null) within keepAliveHoldMs, so a first
   * event that is an error can fail over; an answer once the stream ended or the hold has gone on
   * longer, and the keep-alives go on to a client that may be waiting for bytes to stay connected.
   */
  #keepAliveOnly(ended: boolean): StreamStart {
    return ended || this.#now() - this.#since >= keepAliveHoldMs ? answer : null;
  }
}

/** An event's bytes as an error start when its data is an error object (openAIStreamError), else an answer. */
function errorOfEvent(event: Buffer): StreamStart {
  const parser = new SseParser();
  const [parsed] = [...parser.push(event), ...parser.end()];
  if (parsed === undefined) return answer;
  try {
    return openAIStreamError(JSON.parse(parsed.data)) === null ? answer : { kind: 'error', data: parsed.data };
  } catch {
    return answer;
  }
}

/** Where the line starting at `from` ends (after its LF, CR or CRLF); -1 while its end has not come. */
function endOfLine(bytes: Buffer, from: number): number {
  for (let at = from; at < bytes.length; at++) {
    if (bytes[at] === 10) return at + 1;
    if (bytes[at] === 13) return at + 1 < bytes.length ? (bytes[at + 1] === 10 ? at + 2 : at + 1) : -1;
  }
  return -1;
}

/** Where the event starting at `from` ends (after its blank line); -1 while its end has not come. */
function endOfEvent(bytes: Buffer, from: number): number {
  for (let at = endOfLine(bytes, from); at !== -1 && at < bytes.length; at = endOfLine(bytes, at)) {
    if (bytes[at] === 10) return at + 1;
    if (bytes[at] === 13) return endOfLine(bytes, at);
  }
  return -1;
}
