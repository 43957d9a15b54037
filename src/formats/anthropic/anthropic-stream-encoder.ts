import type { ChatChunk, FinishReason, ToolCallDelta, Usage } from '../../canonical/chat.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { anthropicErrorEvent } from './anthropic-error-body.ts';
import { anthropicMessageId, stopDetailsFor } from './convert-to-anthropic-message.ts';
import { mapToAnthropicStopReason, stopSequenceOf } from './map-to-anthropic-stop-reason.ts';
import { mapToAnthropicUsage } from './map-to-anthropic-usage.ts';

export interface StreamEncoderOptions {
  /** The model named in message_start until a chunk names the one that answered. */
  model: string;
  /** Prompt tokens for message_start (an estimate; the real count follows in message_delta). */
  inputTokens?: number;
}

type OpenBlock = { kind: 'text' | 'thinking'; index: number } | { kind: 'tool'; index: number; toolIndex: number };

function event(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Canonical chat chunks as Anthropic's event stream: message_start, then one content block per
 * run of text or thinking and one per tool call (content_block_start / _delta / _stop, indexes
 * in order of first appearance), then message_delta (stop_reason, usage) and message_stop.
 * Anthropic streams one block at a time; a tool call's late argument delta (a provider
 * interleaving several calls) goes to that call's own block index.
 */
export class AnthropicStreamEncoder {
  readonly #options: StreamEncoderOptions;
  #started = false;
  #finished = false;
  #nextIndex = 0;
  #open: OpenBlock | null = null;
  /** Tool call index (canonical) -> its block index. */
  readonly #toolBlocks = new Map<number, number>();
  #lastThinkingIndex: number | null = null;
  #finishReason: FinishReason | null = null;
  /** The stop sequence the finishing chunk named (stopSequenceOf), if any. */
  #stopSequence: string | null = null;
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
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') out += this.#textual('thinking', delta.reasoning_content);
    if (typeof delta.reasoning_signature === 'string' && delta.reasoning_signature !== '') out += this.#signature(delta.reasoning_signature);
    if (typeof delta.content === 'string' && delta.content !== '') out += this.#textual('text', delta.content);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.#refused = true;
      out += this.#textual('text', delta.refusal);
    }
    for (const call of delta.tool_calls ?? []) out += this.#tool(call);
    if (choice.finish_reason) {
      this.#finishReason = choice.finish_reason;
      this.#stopSequence = stopSequenceOf(choice);
    }
    return out;
  }

  /** Closes the message: the open block, message_delta with stop_reason and usage, message_stop. */
  finish(): string {
    if (this.#finished) return '';
    this.#finished = true;
    let out = this.#start(null) + this.#close();
    const usage = mapToAnthropicUsage(this.#usage);
    const stopSequence = this.#refused ? null : this.#stopSequence;
    const stopReason = this.#refused ? 'refusal' : stopSequence !== null ? 'stop_sequence' : mapToAnthropicStopReason(this.#finishReason);
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
    const message = {
      id: anthropicMessageId(chunk?.id),
      type: 'message',
      role: 'assistant',
      model: chunk?.model || this.#options.model,
      content: [],
      stop_reason: null,
      stop_details: null,
      stop_sequence: null,
      usage: { input_tokens: this.#options.inputTokens ?? 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    return event('message_start', { type: 'message_start', message });
  }

  #close(): string {
    if (this.#open === null) return '';
    const index = this.#open.index;
    this.#open = null;
    return event('content_block_stop', { type: 'content_block_stop', index });
  }

  #openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    const out = this.#close();
    this.#open = block;
    return out + event('content_block_start', { type: 'content_block_start', index: block.index, content_block: contentBlock });
  }

  #textual(kind: 'text' | 'thinking', text: string): string {
    let out = '';
    if (this.#open?.kind !== kind) {
      const index = this.#nextIndex++;
      if (kind === 'thinking') this.#lastThinkingIndex = index;
      out += this.#openBlock({ kind, index }, kind === 'text' ? { type: 'text', text: '', citations: null } : { type: 'thinking', thinking: '', signature: '' });
    }
    const delta = kind === 'text' ? { type: 'text_delta', text } : { type: 'thinking_delta', thinking: text };
    return out + event('content_block_delta', { type: 'content_block_delta', index: this.#open!.index, delta });
  }

  /** The signature closes a thinking block; it belongs to the latest one even if text has started since. */
  #signature(signature: string): string {
    let out = '';
    if (this.#lastThinkingIndex === null) out += this.#textual('thinking', '');
    const index = this.#lastThinkingIndex ?? (this.#open as OpenBlock).index;
    return out + event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } });
  }

  #tool(call: ToolCallDelta): string {
    let out = '';
    let index = this.#toolBlocks.get(call.index);
    if (index === undefined) {
      index = this.#nextIndex++;
      this.#toolBlocks.set(call.index, index);
      const id = call.id ?? `toolu_${crypto.randomUUID().replace(/-/g, '')}`;
      out += this.#openBlock({ kind: 'tool', index, toolIndex: call.index }, { type: 'tool_use', id, name: call.function?.name ?? '', input: {} });
    }
    const partial = call.function?.arguments;
    if (typeof partial === 'string' && partial !== '') {
      out += event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } });
    }
    return out;
  }
}
