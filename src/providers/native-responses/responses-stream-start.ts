import { SseParser } from '../../upstream/sse-parser.ts';
import type { StreamStart, StreamStartScanner } from '../hold-stream-start.ts';

const answer: StreamStart = { kind: 'answer' };
/** An error event is small: a first event still going on past this is an answer. */
const firstEventLimit = 64 * 1024;

/**
 * Reads the start of a Responses event stream until its first event: an `error` event there (or
 * an OpenAI error object, `{"error": {...}}`) fails the call before the client has a byte, so
 * retries and fallbacks apply; anything else (`response.created`) is an answer. Nothing after the
 * first event is read.
 */
export class ResponsesStreamStartScanner implements StreamStartScanner {
  readonly #parser = new SseParser();
  #seen = 0;

  push(piece: Buffer): StreamStart {
    this.#seen += piece.length;
    const [first] = this.#parser.push(piece);
    if (first !== undefined) return verdictOf(first.data);
    return this.#seen > firstEventLimit ? answer : null;
  }

  end(): StreamStart {
    const [first] = this.#parser.end();
    return first === undefined ? answer : verdictOf(first.data);
  }
}

function verdictOf(data: string): StreamStart {
  if (!data.includes('"error"')) return answer;
  try {
    const event = JSON.parse(data) as { type?: unknown; error?: unknown };
    if (event.type === 'error' || (event.type === undefined && event.error !== null && typeof event.error === 'object')) return { kind: 'error', data };
  } catch {
    // Not JSON: the client's SDK would fail on it too; it goes on as sent.
  }
  return answer;
}

/**
 * A Responses `error` event (`{"type":"error","code","message","param"}`) as OpenAI's error
 * object, the shape the gateway maps stream-start failures from (mapOpenAIStreamStartError).
 */
export function asOpenAIErrorObject(data: string): unknown {
  const event = JSON.parse(data) as { type?: unknown; code?: unknown; message?: unknown; param?: unknown; error?: unknown };
  if (event.type !== 'error') return event;
  const code = typeof event.code === 'string' ? event.code : 'server_error';
  return { error: { type: code === 'rate_limit_exceeded' ? 'rate_limit_error' : 'server_error', code, message: typeof event.message === 'string' ? event.message : 'the stream reported an error', param: typeof event.param === 'string' ? event.param : null } };
}
