import { openAIStreamError } from '../../formats/openai/openai-stream-error.ts';
import { SseParser } from '../../upstream/sse-parser.ts';
import type { StreamStart, StreamStartScanner } from '../hold-stream-start.ts';

/** What the first data line of an error event starts with, after `data:`: `{"error"` (spaces and tabs allowed around `{`). */
const errorKey = '"error"';
const answer: StreamStart = { kind: 'answer' };

/** A space or a tab (JSON whitespace that does not end the line). */
function isBlank(byte: number | undefined): boolean {
  return byte === 32 || byte === 9;
}

/**
 * Reads the start of an OpenAI-format event stream (OpenAI, Azure, OpenAI-compatible servers,
 * Mistral) only as far as it takes to tell whether its first event is an error object
 * (`data: {"error": {...}}`, how OpenAI, vLLM and OpenRouter fail a stream after its 200). The
 * bytes are compared with the start of such an event as they come, and the first byte that
 * differs (`{"id"` of a chunk) decides, in the first piece of any real stream. Comment lines that
 * come in the same piece before the first event are skipped; a piece of comments alone (OpenRouter's
 * `: OPENROUTER PROCESSING` keep-alive while the model has not started) is an answer, so the
 * keep-alive is not held back. Only an event that starts like an error is waited for whole and
 * parsed (openAIStreamError, the gateway's one reading of such events); nothing after the first
 * event is read.
 */
export class OpenAIStreamStartScanner implements StreamStartScanner {
  /** The bytes so far (a few dozen in the usual case: the scan ends within the first piece). */
  #bytes: Buffer = Buffer.alloc(0);

  push(piece: Buffer): StreamStart {
    this.#bytes = this.#bytes.length === 0 ? piece : Buffer.concat([this.#bytes, piece]);
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
    // `{`, then `"error"`, spaces allowed before and between.
    while (isBlank(bytes[at])) at++;
    if (at >= bytes.length) return ended ? answer : null;
    if (bytes[at] !== 123) return answer;
    at++;
    while (isBlank(bytes[at])) at++;
    for (let index = 0; index < errorKey.length; index++, at++) {
      if (at >= bytes.length) return ended ? answer : null;
      if (bytes[at] !== errorKey.charCodeAt(index)) return answer;
    }
    // It starts like an error: the whole event decides.
    const eventEnd = endOfEvent(bytes, dataStart);
    if (eventEnd === -1 && !ended) return null;
    return errorOfEvent(bytes.subarray(dataStart, eventEnd === -1 ? bytes.length : eventEnd));
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
