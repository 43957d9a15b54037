import { anthropicBlockEnds, openingUsage, type ChatChunk, type ChatChunkChoice, type ToolCallDelta, type Usage } from '../../canonical/chat.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { anthropicBlockEvents } from '../../providers/anthropic/anthropic-message-as-events.ts';
import { anthropicErrorEvent } from './anthropic-error-body.ts';
import { anthropicMessageId, redactedReasoningOf, stopDetailsFor, toolInputOf } from './convert-to-anthropic-message.ts';
import { anthropicStopOf } from './map-to-anthropic-stop-reason.ts';
import { mapToAnthropicUsage } from './map-to-anthropic-usage.ts';
import { argumentsComplete } from '../../canonical/arguments-complete.ts';

export interface StreamEncoderOptions {
  /** The model named in message_start until a chunk names the one that answered. */
  model: string;
  /** Prompt tokens for message_start (an estimate; the real count follows in message_delta). */
  inputTokens?: number;
}

/** A text block keeps the text written into it (an Anthropic provider's citations go only with the text they cite). */
type OpenBlock = { kind: 'text'; index: number; text: string } | { kind: 'thinking'; index: number } | { kind: 'tool'; index: number; toolIndex: number };

/** A tool call's block: its index, its arguments so far, and while it waits its turn (`held`) its start event. */
interface ToolBlock {
  index: number;
  toolIndex: number;
  arguments: string;
  held: string[] | null;
}

function event(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Canonical chat chunks as Anthropic's event stream: message_start, then one content block per
 * run of text or thinking, one per redacted thinking block and one per tool call
 * (content_block_start / _delta / _stop, indexes in order of first appearance), then
 * message_delta (stop_reason, usage) and message_stop.
 *
 * Anthropic streams one block at a time, and its SDKs hand out a block as finished at its
 * content_block_stop. A provider that interleaves the argument deltas of several calls (OpenAI-
 * compatible servers may) would break that, so a call that starts while the open call's arguments
 * are not yet a whole JSON value waits: its events are held, in order, until the open call's
 * arguments are whole (or the answer ends), then written after that call's stop.
 *
 * A call's arguments go out whole, as one input_json_delta just before its content_block_stop: the
 * SDKs parse the deltas they gathered at the stop and throw on text that is not JSON, losing the
 * whole message, and a provider's model may write such arguments (small local models do). Whole,
 * they are the JSON object the non-streamed message holds (toolInputOf: `{_raw_arguments}` for
 * text that is not JSON, `{value}` for JSON that is not an object), sent as the provider wrote
 * them when they are an object already.
 *
 * From an Anthropic provider (../../providers/anthropic/anthropic-stream-mapper.ts, keepBlocks) the
 * chunks also say where each text block ended and carry the blocks they have no field for
 * (anthropicBlockEnds): a text block is closed there, with its citations when the text written is
 * the one they cite, and a server tool's call or result is written whole in its place (its input
 * as one input_json_delta). A plugin that holds back the end of the text moves no block (#text);
 * text it rewrote goes on whole, without the citations (#placeEnds). message_start then holds
 * the usage Anthropic's did (openingUsage), and message_delta the stop reason and usage it gave
 * (anthropicStopOf, mapToAnthropicUsage).
 */
export class AnthropicStreamEncoder {
  readonly #options: StreamEncoderOptions;
  #started = false;
  #finished = false;
  #nextIndex = 0;
  #open: OpenBlock | null = null;
  /** Tool call index (canonical) -> its block. */
  readonly #toolBlocks = new Map<number, ToolBlock>();
  /** Calls that started while another call's arguments were still coming, in order (their events held). */
  #waiting: ToolBlock[] = [];
  #lastThinkingIndex: number | null = null;
  /** The finishing choice (finish_reason, and what its provider said beyond it: a stop sequence, a stop reason). */
  #finish: ChatChunkChoice | null = null;
  /**
   * An Anthropic provider's block ends not yet placed, in order: the first is the end of a text
   * block whose text has not all come (a plugin holds its end back), the rest came after it.
   */
  #ends: Array<Record<string, unknown> & { type: string }> = [];
  /** A plugin rewrote the open text block's text: it stays open for the rest, and the blocks after it wait for other output or the end. */
  #rewritten = false;
  /** An OpenAI `refusal` delta was streamed: the message ends with stop_reason refusal. */
  #refused = false;
  #usage: Usage | null = null;

  constructor(options: StreamEncoderOptions) {
    this.#options = options;
  }

  /** SSE text for one chunk (empty when it carries nothing to say yet). */
  push(chunk: ChatChunk): string {
    let out = this.#start(chunk);
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    // Output of another kind than text: the blocks ended before it go first (#placeEnds).
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') out += this.#placeEnds(true) + this.#textual('thinking', delta.reasoning_content);
    if (typeof delta.reasoning_signature === 'string' && delta.reasoning_signature !== '') out += this.#placeEnds(true) + this.#signature(delta.reasoning_signature);
    for (const data of redactedReasoningOf(delta.reasoning_redacted)) out += this.#placeEnds(true) + this.#redacted(data);
    if (typeof delta.content === 'string' && delta.content !== '') out += this.#text(delta.content);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.#refused = true;
      out += this.#placeEnds(true) + this.#textual('text', delta.refusal);
    }
    for (const call of delta.tool_calls ?? []) out += this.#placeEnds(true) + this.#tool(call);
    const ends = delta[anthropicBlockEnds];
    if (ends !== undefined && ends.length > 0) {
      this.#ends.push(...ends);
      out += this.#placeEnds(false);
    }
    if (choice.finish_reason) this.#finish = choice;
    return out;
  }

  /** Closes the message: the open block (and any held), message_delta with stop_reason and usage, message_stop. */
  finish(): string {
    if (this.#finished) return '';
    this.#finished = true;
    let out = this.#start(null) + this.#placeEnds(true) + this.#releaseWaiting() + this.#close();
    const usage = mapToAnthropicUsage(this.#usage);
    const { stopReason, stopSequence } = anthropicStopOf(this.#finish ?? undefined, { refused: this.#refused, calledTools: this.#toolBlocks.size > 0 });
    out += event('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_details: stopDetailsFor(stopReason), stop_sequence: stopSequence }, usage });
    out += event('message_stop', { type: 'message_stop' });
    return out;
  }

  /** An in-stream error event (the stream then ends without message_stop, as Anthropic's does). */
  error(error: GatewayError): string {
    this.#finished = true;
    return anthropicErrorEvent(error);
  }

  #start(chunk: ChatChunk | null): string {
    if (this.#started) return '';
    this.#started = true;
    const opening = chunk?.[openingUsage];
    const message = {
      id: anthropicMessageId(chunk?.id),
      type: 'message',
      role: 'assistant',
      model: chunk?.model || this.#options.model,
      content: [],
      stop_reason: null,
      stop_details: null,
      stop_sequence: null,
      usage: opening ? mapToAnthropicUsage(opening) : { input_tokens: this.#options.inputTokens ?? 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    return event('message_start', { type: 'message_start', message });
  }

  #close(): string {
    if (this.#open === null) return '';
    const open = this.#open;
    this.#open = null;
    const input = open.kind === 'tool' ? this.#wholeInput(this.#toolBlocks.get(open.toolIndex)!) : '';
    return input + event('content_block_stop', { type: 'content_block_stop', index: open.index });
  }

  /** A call's arguments as one input_json_delta (none for a call without arguments: its start's `input: {}` stands). */
  #wholeInput(block: ToolBlock): string {
    if (block.arguments.trim() === '') return '';
    const partial = isJsonObjectText(block.arguments) ? block.arguments : JSON.stringify(toolInputOf(block.arguments));
    return event('content_block_delta', { type: 'content_block_delta', index: block.index, delta: { type: 'input_json_delta', partial_json: partial } });
  }

  #openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    const out = this.#close();
    this.#open = block;
    return out + event('content_block_start', { type: 'content_block_start', index: block.index, content_block: contentBlock });
  }

  #textual(kind: 'text' | 'thinking', text: string): string {
    // Text after calls still waiting (a rare mix): the calls go first, in order.
    let out = this.#releaseWaiting();
    if (this.#open?.kind !== kind) {
      const index = this.#nextIndex++;
      if (kind === 'thinking') this.#lastThinkingIndex = index;
      out += kind === 'text' ? this.#openBlock({ kind, index, text: '' }, { type: 'text', text: '', citations: null }) : this.#openBlock({ kind, index }, { type: 'thinking', thinking: '', signature: '' });
    }
    const open = this.#open!;
    if (open.kind === 'text') open.text += text;
    const delta = kind === 'text' ? { type: 'text_delta', text } : { type: 'thinking_delta', thinking: text };
    return out + event('content_block_delta', { type: 'content_block_delta', index: open.index, delta });
  }

  /**
   * Text while an Anthropic provider's text block waits for the end of its text (#ends: a plugin
   * held it back, pii's stream does by a word): the part that completes the block goes into it,
   * the block closes and the blocks after it are placed, and the rest opens the next text block.
   * Text that is not the provider's (a plugin rewrote it) goes on in the open block (#placeEnds).
   */
  #text(text: string): string {
    let out = '';
    while (!this.#rewritten && this.#ends.length > 0 && this.#ends[0].type === 'text') {
      const open = this.#open;
      const rest = String(this.#ends[0].text ?? '').slice(open?.kind === 'text' ? open.text.length : 0);
      if (rest.startsWith(text) || !text.startsWith(rest)) break;
      if (rest !== '') out += this.#textual('text', rest);
      out += this.#placeEnds(false);
      text = text.slice(rest.length);
    }
    if (text !== '') out += this.#textual('text', text);
    return this.#ends.length > 0 ? out + this.#placeEnds(false) : out;
  }

  /**
   * Places the provider's block ends, in order: a text block's end closes the open text block,
   * with its citations when the text written is the provider's; a block of another kind is
   * written whole. A text block whose text has not all come yet (what was written is the start of
   * it) stops there. A text a plugin rewrote (what was written is not the provider's) stays open
   * for the rest of the rewritten text, without the citations (they quote the sources of the
   * provider's text), and the blocks after it wait (a rewritten text is not split around them).
   * `force` (other output comes, or the answer ends) places everything: text blocks close as they are.
   */
  #placeEnds(force: boolean): string {
    let out = '';
    if (force) this.#rewritten = false;
    while (this.#ends.length > 0) {
      const end = this.#ends[0];
      if (end.type !== 'text') {
        if (this.#rewritten) break;
        out += this.#whole(end);
        this.#ends.shift();
        continue;
      }
      const open = this.#open?.kind === 'text' ? this.#open : null;
      const written = open?.text ?? '';
      const text = String(end.text ?? '');
      if (open !== null && written === text && !this.#rewritten) {
        for (const citation of Array.isArray(end.citations) ? end.citations : []) {
          out += event('content_block_delta', { type: 'content_block_delta', index: open.index, delta: { type: 'citations_delta', citation } });
        }
        out += this.#close();
      } else if (!force) {
        if (!this.#rewritten && text.startsWith(written)) break;
        this.#rewritten = true;
      } else if (open !== null) out += this.#close();
      this.#ends.shift();
    }
    return out;
  }

  /** A block the chunks have no field for (a server tool's call or result…), whole in its place. */
  #whole(block: Record<string, unknown> & { type: string }): string {
    const out = this.#releaseWaiting() + this.#close();
    return out + anthropicBlockEvents(block, this.#nextIndex++);
  }

  /** The signature closes a thinking block; it belongs to the latest one even if text has started since. */
  #signature(signature: string): string {
    let out = '';
    if (this.#lastThinkingIndex === null) out += this.#textual('thinking', '');
    const index = this.#lastThinkingIndex ?? (this.#open as OpenBlock).index;
    return out + event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } });
  }

  /** A redacted thinking block: whole in its start event (Anthropic sends it so), then its stop. */
  #redacted(data: string): string {
    const out = this.#releaseWaiting() + this.#close();
    const index = this.#nextIndex++;
    return out + event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data } }) + event('content_block_stop', { type: 'content_block_stop', index });
  }

  #tool(call: ToolCallDelta): string {
    let out = '';
    let block = this.#toolBlocks.get(call.index);
    if (block === undefined) {
      block = { index: this.#nextIndex++, toolIndex: call.index, arguments: '', held: null };
      this.#toolBlocks.set(call.index, block);
      const id = call.id ?? `toolu_${crypto.randomUUID().replace(/-/g, '')}`;
      const contentBlock = { type: 'tool_use', id, name: call.function?.name ?? '', input: {} };
      const open = this.#open;
      if (this.#waiting.length > 0 || (open?.kind === 'tool' && !argumentsComplete(this.#toolBlocks.get(open.toolIndex)!.arguments))) {
        // Another call is still streaming its arguments: this one waits its turn.
        block.held = [event('content_block_start', { type: 'content_block_start', index: block.index, content_block: contentBlock })];
        this.#waiting.push(block);
      } else out += this.#openBlock({ kind: 'tool', index: block.index, toolIndex: call.index }, contentBlock);
    }
    const partial = call.function?.arguments;
    if (typeof partial === 'string' && partial !== '') {
      block.arguments += partial;
      // The open call is whole: the next waiting one may go (closing this one writes its input).
      if (block.held === null && this.#waiting.length > 0 && this.#open?.index === block.index && argumentsComplete(block.arguments)) out += this.#nextWaiting();
    }
    return out;
  }

  /** Closes the open call and writes the waiting calls in order, as long as each is whole; the last written stays open. */
  #nextWaiting(): string {
    let out = '';
    while (this.#waiting.length > 0) {
      const next = this.#waiting.shift()!;
      out += this.#openHeld(next);
      if (!argumentsComplete(next.arguments)) break;
    }
    return out;
  }

  /** Every waiting call, in order (the answer goes on with something else, or ends); the last one stays open. */
  #releaseWaiting(): string {
    if (this.#waiting.length === 0) return '';
    let out = '';
    for (const next of this.#waiting) out += this.#openHeld(next);
    this.#waiting = [];
    return out;
  }

  /** Closes the open block and writes a waiting call's held start: it is the open block now. */
  #openHeld(block: ToolBlock): string {
    const out = this.#close() + block.held!.join('');
    block.held = null;
    this.#open = { kind: 'tool', index: block.index, toolIndex: block.toolIndex };
    return out;
  }
}

/** Whether `text` is JSON text of an object, as Anthropic's `input` is. */
function isJsonObjectText(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
