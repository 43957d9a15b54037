import type { ChatChunk, ChatRequest, ChatResponse, ToolCallDelta } from '../../canonical/chat.ts';
import type { CompletionResponse } from '../../canonical/completions.ts';
import type { CanonicalChunk, CanonicalRequest, CanonicalResponse, Operation } from '../../canonical/operation.ts';
import type { MaskVault } from './mask-vault.ts';
import type { PiiPass } from './pii-pass.ts';
import { HeldText } from './stream-hold-back.ts';

/**
 * True when the client asked for a JSON answer: chat `response_format` json_object or json_schema
 * (where the Responses API's `text.format` and the Messages API's `output_config.format` arrive
 * too). The answer's content is then JSON, so restored originals are JSON-escaped in it.
 */
export function asksForJsonContent(operation: Operation, body: CanonicalRequest): boolean {
  if (operation !== 'chat') return false;
  const type = (body as ChatRequest).response_format?.type;
  return type === 'json_object' || type === 'json_schema';
}

/** Response text: the response pass on the model's own text first, then placeholders restored. */
function finish(text: string, pass: PiiPass, vault: MaskVault, json: boolean): string {
  return vault.restore(pass.apply(text), json);
}

/** Rewrites a complete response in place (non-streaming); `jsonContent`: the message content is JSON (asksForJsonContent). */
export function rewriteResponse(response: CanonicalResponse, pass: PiiPass, vault: MaskVault, jsonContent = false): void {
  const object = (response as { object?: string }).object;
  if (object === 'chat.completion') {
    for (const choice of (response as ChatResponse).choices ?? []) {
      const message = choice.message;
      if (!message) continue;
      if (typeof message.content === 'string') message.content = finish(message.content, pass, vault, jsonContent);
      if (typeof message.reasoning_content === 'string') message.reasoning_content = finish(message.reasoning_content, pass, vault, false);
      if (typeof message.refusal === 'string') message.refusal = finish(message.refusal, pass, vault, false);
      for (const call of message.tool_calls ?? []) {
        if (typeof call.function?.arguments === 'string') call.function.arguments = finish(call.function.arguments, pass, vault, true);
      }
    }
  } else if (object === 'text_completion') {
    for (const choice of (response as CompletionResponse).choices ?? []) {
      if (typeof choice.text === 'string') choice.text = finish(choice.text, pass, vault, false);
    }
  }
}

/** The held-back channels of one streamed choice. */
interface ChoiceChannels {
  content: HeldText;
  reasoning: HeldText;
  tools: Map<number, HeldText>;
  /**
   * The channel the choice's output is in now: the only one that may hold text. Another kind of
   * output starting releases it first (StreamRewriter.rewrite).
   */
  active: HeldText | null;
  finished: boolean;
}

type ChatDelta = ChatChunk['choices'][number]['delta'];

/** Rewrites a stream chunk by chunk; one instance per request. */
export class StreamRewriter {
  readonly #pass: PiiPass;
  readonly #vault: MaskVault;
  /** The content channels carry JSON (asksForJsonContent): restored originals are JSON-escaped there. */
  readonly #jsonContent: boolean;
  readonly #choices = new Map<number, ChoiceChannels>();
  #last: ChatChunk | null = null;

  /** The stream ended without a finish_reason or usage chunk: release what is still held. */
  end(): CanonicalChunk[] {
    if (this.#last === null) return [];
    const rest = this.#flushAll(this.#last);
    return rest ? [rest] : [];
  }

  constructor(pass: PiiPass, vault: MaskVault, jsonContent = false) {
    this.#pass = pass;
    this.#vault = vault;
    this.#jsonContent = jsonContent;
  }

  #channels(index: number): ChoiceChannels {
    let channels = this.#choices.get(index);
    if (!channels) {
      channels = { content: this.#held(this.#jsonContent), reasoning: this.#held(false), tools: new Map(), active: null, finished: false };
      this.#choices.set(index, channels);
    }
    return channels;
  }

  #held(json: boolean): HeldText {
    return new HeldText(this.#pass, this.#vault, json);
  }

  /** Returns the chunk(s) to send; flushes a choice on its finish_reason and everything on a usage-only chunk. */
  rewrite(chunk: CanonicalChunk): CanonicalChunk | CanonicalChunk[] {
    if (chunk.object === 'text_completion') return this.#rewriteCompletion(chunk as CompletionResponse & { object: 'text_completion' });
    const chat = chunk as ChatChunk;
    this.#last = chat;
    if (chat.choices.length === 0) {
      const rest = this.#flushAll(chat);
      return rest ? [rest, chunk] : chunk;
    }
    // What a choice held of the kind of output it was in, released because this chunk starts
    // another kind: sent in a chunk of its own before this one.
    const released: ChatChunk['choices'] = [];
    for (const choice of chat.choices) {
      const channels = this.#channels(choice.index);
      const delta = choice.delta ?? (choice.delta = {});
      const before = this.#rewriteDelta(channels, delta);
      if (before) released.push({ index: choice.index, delta: before, finish_reason: null });
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) this.#flushChoice(channels, delta);
    }
    if (released.length === 0) return chunk;
    return [{ id: chat.id, object: 'chat.completion.chunk', created: chat.created, model: chat.model, choices: released }, chunk];
  }

  /**
   * Runs a choice's delta through its channels in the order the client encoders write its fields
   * (reasoning, its signature and redacted blocks, content, refusal, the tool calls in order),
   * keeping the provider's order of kinds: when output of another kind than the channel that holds
   * text comes, that channel is released first — into its own field of this delta when it got text
   * earlier in this delta (the encoders write that field first), else into the delta returned, to
   * be sent before this one. A client so never sees a call start (or its arguments) before the end
   * of the text before it, nor the next call before the whole arguments of the one before: the
   * Responses and Anthropic encoders close an item when another kind starts.
   */
  #rewriteDelta(channels: ChoiceChannels, delta: ChatDelta): ChatDelta | null {
    let before: ChatDelta | null = null;
    /** Adds released text to the field of the active channel in this delta; null while the active channel has no field in it. */
    let appendActive: ((text: string) => void) | null = null;
    const enter = (channel: HeldText | null, append: ((text: string) => void) | null): void => {
      const active = channels.active;
      if (active !== null && active !== channel && active.heldLength > 0) {
        const rest = active.release();
        if (rest) {
          if (appendActive) appendActive(rest);
          else this.#write((before ??= {}), channels, active, rest);
        }
      }
      if (channel !== null) channels.active = channel;
      appendActive = append;
    };
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      enter(channels.reasoning, (text) => (delta.reasoning_content = (delta.reasoning_content ?? '') + text));
      delta.reasoning_content = channels.reasoning.push(delta.reasoning_content);
    }
    // A signature ends its thinking block; a redacted block is one of its own: no channel.
    if ((typeof delta.reasoning_signature === 'string' && delta.reasoning_signature !== '') || (delta.reasoning_redacted?.length ?? 0) > 0) enter(null, null);
    if (typeof delta.content === 'string' && delta.content !== '') {
      enter(channels.content, (text) => (delta.content = (delta.content ?? '') + text));
      delta.content = channels.content.push(delta.content);
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') enter(null, null);
    for (const call of delta.tool_calls ?? []) {
      let held = channels.tools.get(call.index);
      if (!held) channels.tools.set(call.index, (held = this.#held(true)));
      // A call's first delta (its id and name) starts it even without arguments.
      enter(held, (text) => (call.function = { ...call.function, arguments: (call.function?.arguments ?? '') + text }));
      if (typeof call.function?.arguments === 'string') call.function.arguments = held.push(call.function.arguments);
    }
    return before;
  }

  /** Puts released text of `channel` into its field of `delta`. */
  #write(delta: ChatDelta, channels: ChoiceChannels, channel: HeldText, text: string): void {
    if (channel === channels.content) delta.content = (delta.content ?? '') + text;
    else if (channel === channels.reasoning) delta.reasoning_content = (delta.reasoning_content ?? '') + text;
    else {
      for (const [index, held] of channels.tools) if (held === channel) (delta.tool_calls ??= []).push({ index, function: { arguments: text } });
    }
  }

  #flushChoice(channels: ChoiceChannels, delta: ChatDelta): boolean {
    if (channels.finished) return false;
    channels.finished = true;
    let any = false;
    const content = channels.content.flush();
    if (content) {
      delta.content = (delta.content ?? '') + content;
      any = true;
    }
    const reasoning = channels.reasoning.flush();
    if (reasoning) {
      delta.reasoning_content = (delta.reasoning_content ?? '') + reasoning;
      any = true;
    }
    for (const [index, held] of channels.tools) {
      const rest = held.flush();
      if (!rest) continue;
      any = true;
      const calls: ToolCallDelta[] = delta.tool_calls ?? (delta.tool_calls = []);
      const existing = calls.find((call) => call.index === index);
      if (existing) existing.function = { ...existing.function, arguments: (existing.function?.arguments ?? '') + rest };
      else calls.push({ index, function: { arguments: rest } });
    }
    return any;
  }

  /** A usage-only chunk ends the stream: send whatever a choice without finish_reason still holds. */
  #flushAll(template: ChatChunk): ChatChunk | null {
    const choices: ChatChunk['choices'] = [];
    for (const [index, channels] of this.#choices) {
      const delta = {};
      if (this.#flushChoice(channels, delta)) choices.push({ index, delta, finish_reason: null });
    }
    if (choices.length === 0) return null;
    return { id: template.id, object: 'chat.completion.chunk', created: template.created, model: template.model, choices };
  }

  #rewriteCompletion(chunk: CompletionResponse & { object: 'text_completion' }): CanonicalChunk {
    for (const choice of chunk.choices) {
      const channels = this.#channels(choice.index);
      if (typeof choice.text === 'string') choice.text = channels.content.push(choice.text);
      if (choice.finish_reason !== null && !channels.finished) {
        channels.finished = true;
        choice.text = (choice.text ?? '') + channels.content.flush();
      }
    }
    return chunk;
  }
}
