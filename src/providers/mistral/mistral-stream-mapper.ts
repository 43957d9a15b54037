import { discardBody, eachPiece, type PieceSource } from '../../upstream/each-piece.ts';
import { copyWithOwnMemory } from '../../upstream/own-memory.ts';
import { UpstreamBody } from '../../upstream/upstream-body.ts';
import { SseParser } from '../../upstream/sse-parser.ts';
import { fixFinishReason, nullContentBesideToolCalls, typeToolCalls } from './convert-mistral-response.ts';
import { splitMistralContent } from './mistral-content.ts';
import { mayNeedMistralStreamFix } from './mistral-fix-markers.ts';

const nothing = Buffer.alloc(0);

/**
 * A Mistral event stream as OpenAI clients read it: the events that need it (a tool call without
 * `type`, `model_length`, a reasoning model's content chunks: convert-mistral-response.ts; the
 * finish chunk's usage, sent apart as OpenAI's usage chunk) are parsed and rewritten, every other
 * event is forwarded as its own bytes. Failures and the client's leaving go through as for the
 * body it wraps: an upstream error fails the returned body with that error, and destroying the
 * returned body destroys the upstream body (which aborts its request); pausing it (a slow
 * client) pauses the upstream body once 64 KiB wait.
 */
export function mapMistralStream(body: PieceSource): UpstreamBody {
  const fixer = new MistralEventFixer();
  const fixed = new UpstreamBody({ pause: () => body.pause(), resume: () => body.resume(), abort: () => discardBody(body) }, body instanceof UpstreamBody ? body.stallLimitMs : Infinity);
  eachPiece(body, (piece) => {
    const out = fixer.push(piece);
    if (out.length > 0) fixed.push(out);
  }).then(
    () => {
      const rest = fixer.end();
      if (rest.length > 0) fixed.push(rest);
      fixed.finish();
    },
    (error: unknown) => fixed.fail(error instanceof Error ? error : new Error(String(error))),
  );
  return fixed;
}

/**
 * The byte work of mapMistralStream: complete events (ending in a blank line, LF or CRLF) go out
 * as soon as they are complete, fixed where needed; a partial event waits for the rest of it, so
 * neither an event nor a multi-byte character is ever cut by this.
 */
export class MistralEventFixer {
  #pending: Buffer = nothing;

  push(piece: Buffer): Buffer {
    // A partial event is kept as a copy with memory of its own (upstream/own-memory.ts).
    const data = this.#pending.length === 0 ? piece : copyWithOwnMemory([this.#pending, piece], this.#pending.length + piece.length);
    const end = lastEventEnd(data);
    if (end === -1) {
      this.#pending = data === piece ? copyWithOwnMemory([piece], piece.length) : data;
      return nothing;
    }
    this.#pending = end === data.length ? nothing : copyWithOwnMemory([data.subarray(end)], data.length - end);
    return fixEvents(end === data.length ? data : data.subarray(0, end));
  }

  /** The stream ended: an event left without its blank line still goes out (fixed). */
  end(): Buffer {
    const rest = this.#pending;
    this.#pending = nothing;
    return rest.length === 0 ? rest : fixEvents(rest);
  }
}

/** Fixes the events of whole-event bytes; the bytes themselves when none needs it. */
function fixEvents(bytes: Buffer): Buffer {
  if (!mayNeedMistralStreamFix(bytes)) return bytes;
  const events: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) {
    if (!endsEvent(bytes, at)) continue;
    events.push(fixEvent(bytes.subarray(start, at + 1)));
    start = at + 1;
  }
  if (start < bytes.length) events.push(fixEvent(bytes.subarray(start)));
  return Buffer.concat(events);
}

/**
 * One event, rewritten when its chunk needed a fix, else as it came. A chunk with choices and a
 * usage object (Mistral's last) becomes two events, as OpenAI streams them: the chunk without its
 * usage, then the usage chunk (`choices: []`), which the gateway drops for a client that did not
 * ask for it (MistralProvider).
 */
function fixEvent(bytes: Buffer): Buffer {
  if (!mayNeedMistralStreamFix(bytes)) return bytes;
  const parser = new SseParser();
  const parsed = [...parser.push(bytes), ...parser.end()];
  if (parsed.length !== 1) return bytes;
  const [event] = parsed;
  let chunk: unknown;
  try {
    chunk = JSON.parse(event!.data);
  } catch {
    return bytes;
  }
  const fixed = fixMistralChunk(chunk);
  const usageChunk = splitUsageChunk(chunk);
  if (!fixed && usageChunk === null) return bytes;
  const head = (event!.event === undefined ? '' : `event: ${event!.event}\n`) + (event!.id === undefined ? '' : `id: ${event!.id}\n`);
  const usageEvent = usageChunk === null ? '' : `${head}data: ${JSON.stringify(usageChunk)}\n\n`;
  return Buffer.from(`${head}data: ${JSON.stringify(chunk)}\n\n${usageEvent}`);
}

/**
 * Takes the usage off a chunk that also has choices (in place) and returns OpenAI's usage chunk
 * for it: the chunk's other fields, `choices: []` and the usage. Null when there is nothing to split.
 */
function splitUsageChunk(chunk: unknown): Record<string, unknown> | null {
  if (chunk === null || typeof chunk !== 'object') return null;
  const fields = chunk as Record<string, unknown>;
  const { usage, choices } = fields;
  if (usage === null || typeof usage !== 'object' || !Array.isArray(choices) || choices.length === 0) return null;
  delete fields.usage;
  return { ...fields, choices: [], usage };
}

/** Fixes a parsed `chat.completion.chunk` in place; true when anything changed. */
export function fixMistralChunk(chunk: unknown): boolean {
  const choices = chunk !== null && typeof chunk === 'object' ? (chunk as { choices?: unknown }).choices : undefined;
  if (!Array.isArray(choices)) return false;
  let changed = false;
  for (const choice of choices) {
    if (choice === null || typeof choice !== 'object') continue;
    changed = fixFinishReason(choice as Record<string, unknown>) || changed;
    const delta = (choice as { delta?: unknown }).delta;
    if (delta === null || typeof delta !== 'object') continue;
    const fields = delta as Record<string, unknown>;
    if (Array.isArray(fields.content)) {
      const { text, thinking } = splitMistralContent(fields.content);
      if (text === null) delete fields.content;
      else fields.content = text;
      if (thinking !== null) fields.reasoning_content = thinking;
      changed = true;
    }
    if (Array.isArray(fields.tool_calls)) {
      changed = typeToolCalls(fields.tool_calls, true) || changed;
      // A tool-call delta has `content: null` in OpenAI's streams, never "".
      changed = nullContentBesideToolCalls(fields) || changed;
    }
  }
  return changed;
}

/** Whether the LF at `at` ends an event: the line before it is blank (`\n\n` or `\n\r\n`). */
function endsEvent(bytes: Buffer, at: number): boolean {
  return bytes[at - 1] === 10 || (bytes[at - 1] === 13 && bytes[at - 2] === 10);
}

/** Where the last complete event ends: just after its blank line; -1 if none. */
function lastEventEnd(bytes: Buffer): number {
  for (let at = bytes.lastIndexOf(10); at > 0; at = bytes.lastIndexOf(10, at - 1)) {
    if (endsEvent(bytes, at)) return at + 1;
  }
  return -1;
}
