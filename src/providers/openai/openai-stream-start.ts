import { openAIStreamError } from '../../formats/openai/openai-stream-error.ts';
import { SseParser } from '../../upstream/sse-parser.ts';
import type { StreamStart, StreamStartScanner } from '../hold-stream-start.ts';

/** What the first event must hold to be parsed as a possible error. */
const errorKey = '"error"';
const answer: StreamStart = { kind: 'answer' };
/** The most of a stream's start held to tell an error from an answer. */
const firstEventLimit = 64 * 1024;

/**
 * Reads the start of an OpenAI-format event stream (OpenAI, Azure, OpenAI-compatible servers,
 * Mistral) only as far as it takes to tell whether its first event is a failure: an error object
 * alone (`data: {"error": {...}}`, how OpenAI and vLLM fail a stream after its 200) or OpenRouter's
 * chunk with an `error` beside a choice that finished with "error". The first event is waited for
 * whole (it comes in the first piece of any real stream) and parsed only when it holds `"error"`
 * (openAIStreamError, the gateway's one reading of such events). Comment lines that come in the
 * same piece before the first event are skipped; a piece of comments alone (OpenRouter's
 * `: OPENROUTER PROCESSING` keep-alive while the model has not started) is an answer, so the
 * keep-alive is not held back. Nothing after the first event is read.
 */
export class OpenAIStreamStartScanner implements StreamStartScanner {
  /** The bytes so far (the first piece, in the usual case). */
  #bytes: Buffer = Buffer.alloc(0);

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
    let comments = false;
    // Comment and blank lines before the first field.
    while (at < bytes.length && (bytes[at] === 58 || bytes[at] === 10 || bytes[at] === 13)) {
      if (bytes[at] !== 58) {
        at++;
        continue;
      }
      comments = true;
      const lineEnd = endOfLine(bytes, at);
      if (lineEnd === -1) return answer;
      at = lineEnd;
    }
    // Only keep-alive comments so far (OpenRouter's, while the model has not started): they go on to
    // the client at once, as they are meant to keep its connection open; an error after them is sent in-stream.
    if (at >= bytes.length) return ended || comments ? answer : null;
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
