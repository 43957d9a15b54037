import type { ChatChunk, FinishReason, ToolCallDelta, Usage } from '../../canonical/chat.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { buildResponsesResponse } from './build-responses-response.ts';
import { logprobsOf, redactedReasoningOf } from './convert-to-responses-response.ts';
import { mapToResponsesStatus } from './map-to-responses-status.ts';
import { mapToResponsesUsage } from './map-to-responses-usage.ts';
import type {
  ResponsesEcho,
  ResponsesError,
  ResponsesItemStatus,
  ResponsesLogprob,
  ResponsesOutputFunctionCall,
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesOutputReasoning,
  ResponsesOutputRefusal,
  ResponsesOutputText,
  ResponsesResponse,
  ResponsesStatus,
} from './responses-api.ts';
import { responsesId } from './responses-ids.ts';
import { encodeReasoningState } from './responses-reasoning-state.ts';
import { argumentsComplete } from '../../canonical/arguments-complete.ts';

export interface ResponsesStreamEncoderOptions {
  /** The model named in the first events until a chunk names the one that answered. */
  model: string;
  /** The request fields every Response repeats. */
  echo: ResponsesEcho;
}

/** The message or reasoning item text is going into; at most one is open at a time. */
type OpenTextItem =
  | { kind: 'message'; outputIndex: number; item: ResponsesOutputMessage; part: ResponsesOutputText | ResponsesOutputRefusal | null }
  | { kind: 'reasoning'; outputIndex: number; item: ResponsesOutputReasoning; signature: string; redacted: string[] };

/** A tool call's function_call item; `outputIndex` is null while the call waits its turn (nothing written for it yet). */
interface ToolCall {
  outputIndex: number | null;
  item: ResponsesOutputFunctionCall;
}

/**
 * Canonical chat chunks as the Responses API's event stream: response.created and
 * response.in_progress, then output items as the answer arrives — a reasoning item
 * (reasoning_text events; one signed or with redacted thinking gets `encrypted_content` when it
 * closes), a message item (output_text or refusal parts) per run of text, a
 * function_call item per tool call (function_call_arguments events) — each opened with
 * output_item.added and closed with output_item.done, then response.completed (or
 * response.incomplete) carrying the whole Response with its usage. Every event has the next
 * sequence_number; there is no [DONE].
 *
 * One item is open at a time, as OpenAI streams them: an item is done when the next one starts
 * (chat streams tool calls by increasing index, so call 1 starting means call 0 is whole), and a
 * client may run a tool at its output_item.done. A provider that interleaves the argument deltas
 * of several calls (OpenAI-compatible servers may) would break that, so a call that starts while
 * the open call's arguments are not yet a whole JSON value waits: nothing is written for it until
 * the open call's arguments are whole (or something else starts, or the answer ends), then it is
 * added with its arguments so far.
 */
export class ResponsesStreamEncoder {
  readonly #echo: ResponsesEcho;
  readonly #id = responsesId('resp');
  #model: string;
  #createdAt = Math.floor(Date.now() / 1000);
  #sequence = 0;
  #started = false;
  #finished = false;
  readonly #output: ResponsesOutputItem[] = [];
  #open: OpenTextItem | null = null;
  /** Canonical tool-call index -> its call. */
  readonly #calls = new Map<number, ToolCall>();
  /** The call whose item is open (text and reasoning items are closed then). */
  #openCall: ToolCall | null = null;
  /** Calls that started while the open call's arguments were still coming, in order; not yet written. */
  #waiting: ToolCall[] = [];
  #finishReason: FinishReason | null = null;
  #usage: Usage | null = null;
  /** The tier that served the call, when the provider says (OpenAI's chunks carry `service_tier`). */
  #servedTier: string | undefined;

  constructor(options: ResponsesStreamEncoderOptions) {
    this.#echo = options.echo;
    this.#model = options.model;
  }

  /** SSE text for one chunk (empty when it carries nothing to say). */
  push(chunk: ChatChunk): string {
    if (typeof chunk.model === 'string' && chunk.model !== '') this.#model = chunk.model;
    if (!this.#started && typeof chunk.created === 'number') this.#createdAt = chunk.created;
    let out = this.#start();
    if (chunk.usage) this.#usage = chunk.usage;
    if (typeof chunk.service_tier === 'string') this.#servedTier = chunk.service_tier;
    const choice = chunk.choices?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') out += this.#reasoning(delta.reasoning_content);
    if (typeof delta.reasoning_signature === 'string' && delta.reasoning_signature !== '') out += this.#sign(delta.reasoning_signature);
    const redacted = redactedReasoningOf(delta.reasoning_redacted);
    if (redacted.length > 0) out += this.#redact(redacted);
    if (typeof delta.content === 'string' && delta.content !== '') out += this.#text('output_text', delta.content, logprobsOf(choice.logprobs));
    if (typeof delta.refusal === 'string' && delta.refusal !== '') out += this.#text('refusal', delta.refusal, []);
    for (const call of delta.tool_calls ?? []) out += this.#toolCall(call);
    if (choice.finish_reason) this.#finishReason = choice.finish_reason;
    return out;
  }

  /** Closes every open item, then response.completed or response.incomplete with the whole Response. */
  finish(): string {
    if (this.#finished) return '';
    let out = this.#start();
    this.#finished = true;
    const { status, incomplete_details: incompleteDetails } = mapToResponsesStatus(this.#finishReason);
    const itemStatus: ResponsesItemStatus = status === 'completed' ? 'completed' : 'incomplete';
    out += this.#closeText(itemStatus) + this.#closeCalls(itemStatus);
    const response = this.#response(status, incompleteDetails, null);
    return out + this.#event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  /**
   * A failure after the stream started: response.failed carrying the Response so far (its open
   * item marked incomplete; calls still waiting were never written, so they are not in it) and
   * the error; the stream then ends. The SDKs do not raise it: a
   * client sees the event, and the stream helper's final Response has status `failed`.
   */
  error(error: GatewayError): string {
    if (this.#finished) return '';
    let out = this.#start();
    this.#finished = true;
    if (this.#open !== null) this.#open.item.status = 'incomplete';
    if (this.#open?.kind === 'reasoning') this.#seal(this.#open);
    if (this.#openCall !== null) this.#openCall.item.status = 'incomplete';
    const failure: ResponsesError = { code: error.status === 429 ? 'rate_limit_exceeded' : 'server_error', message: error.message };
    out += this.#event('response.failed', { response: this.#response('failed', null, failure) });
    return out;
  }

  #event(type: string, fields: Record<string, unknown>): string {
    const data = JSON.stringify({ type, sequence_number: this.#sequence++, ...fields });
    return `event: ${type}\ndata: ${data}\n\n`;
  }

  #response(status: ResponsesStatus, incompleteDetails: ResponsesResponse['incomplete_details'], error: ResponsesError | null): ResponsesResponse {
    const usage = status === 'in_progress' || this.#usage === null ? null : mapToResponsesUsage(this.#usage);
    return buildResponsesResponse(this.#echo, { id: this.#id, createdAt: this.#createdAt, model: this.#model, status, incompleteDetails, error, output: status === 'in_progress' ? [] : this.#output, usage, servedTier: this.#servedTier ?? this.#usage?.service_tier });
  }

  #start(): string {
    if (this.#started) return '';
    this.#started = true;
    const response = this.#response('in_progress', null, null);
    return this.#event('response.created', { response }) + this.#event('response.in_progress', { response });
  }

  #addItem(item: ResponsesOutputItem): { outputIndex: number; out: string } {
    const outputIndex = this.#output.length;
    const out = this.#event('response.output_item.added', { output_index: outputIndex, item });
    this.#output.push(item);
    return { outputIndex, out };
  }

  /** The open reasoning item, opened (with its reasoning_text part) when another item or none is open. */
  #openReasoning(): { open: Extract<OpenTextItem, { kind: 'reasoning' }>; out: string } {
    if (this.#open?.kind === 'reasoning') return { open: this.#open, out: '' };
    let out = this.#closeText('completed') + this.#closeCalls('completed');
    const item: ResponsesOutputReasoning = { type: 'reasoning', id: responsesId('rs'), summary: [], content: [], status: 'in_progress' };
    const added = this.#addItem(item);
    const part = { type: 'reasoning_text' as const, text: '' };
    out += added.out + this.#event('response.content_part.added', { item_id: item.id, output_index: added.outputIndex, content_index: 0, part });
    item.content.push(part);
    const open = { kind: 'reasoning' as const, outputIndex: added.outputIndex, item, signature: '', redacted: [] as string[] };
    this.#open = open;
    return { open, out };
  }

  #reasoning(text: string): string {
    const { open, out } = this.#openReasoning();
    open.item.content[0].text += text;
    return out + this.#event('response.reasoning_text.delta', { item_id: open.item.id, output_index: open.outputIndex, content_index: 0, delta: text });
  }

  /**
   * The signature that ends a thinking block (it arrives before the block's end, so the
   * reasoning item is still open); a signature with no text before it still gets an item, as
   * the provider needs the block back.
   */
  #sign(signature: string): string {
    const { open, out } = this.#openReasoning();
    open.signature = signature;
    return out;
  }

  /**
   * Redacted thinking blocks (whole, each its data): they follow the thinking block, so they join
   * the open reasoning item, or open one of their own; they go back in its encrypted_content.
   */
  #redact(redacted: string[]): string {
    const { open, out } = this.#openReasoning();
    open.redacted.push(...redacted);
    return out;
  }

  /** A signed reasoning item's text and signature (and its redacted thinking) into its encrypted_content, once its text is whole. */
  #seal(open: Extract<OpenTextItem, { kind: 'reasoning' }>): void {
    if (open.signature !== '' || open.redacted.length > 0) open.item.encrypted_content = encodeReasoningState({ thinking: open.item.content[0].text, signature: open.signature, redacted: open.redacted });
  }

  #text(kind: 'output_text' | 'refusal', text: string, logprobs: ResponsesLogprob[]): string {
    let out = '';
    if (this.#open?.kind !== 'message') {
      out += this.#closeText('completed') + this.#closeCalls('completed');
      const item: ResponsesOutputMessage = { type: 'message', id: responsesId('msg'), status: 'in_progress', role: 'assistant', content: [] };
      const added = this.#addItem(item);
      out += added.out;
      this.#open = { kind: 'message', outputIndex: added.outputIndex, item, part: null };
    }
    const open = this.#open as Extract<OpenTextItem, { kind: 'message' }>;
    const where = { item_id: open.item.id, output_index: open.outputIndex };
    if (open.part?.type !== kind) {
      out += this.#closePart(open);
      const part: ResponsesOutputText | ResponsesOutputRefusal = kind === 'output_text' ? { type: 'output_text', text: '', annotations: [], logprobs: [] } : { type: 'refusal', refusal: '' };
      out += this.#event('response.content_part.added', { ...where, content_index: open.item.content.length, part });
      open.item.content.push(part);
      open.part = part;
    }
    const contentIndex = open.item.content.length - 1;
    if (open.part.type === 'refusal') {
      open.part.refusal += text;
      return out + this.#event('response.refusal.delta', { ...where, content_index: contentIndex, delta: text });
    }
    open.part.text += text;
    open.part.logprobs.push(...logprobs);
    return out + this.#event('response.output_text.delta', { ...where, content_index: contentIndex, delta: text, logprobs });
  }

  /** Ends the message's current content part: its .done event and content_part.done. */
  #closePart(open: Extract<OpenTextItem, { kind: 'message' }>): string {
    const part = open.part;
    if (part === null) return '';
    open.part = null;
    const where = { item_id: open.item.id, output_index: open.outputIndex, content_index: open.item.content.length - 1 };
    const done = part.type === 'refusal' ? this.#event('response.refusal.done', { ...where, refusal: part.refusal }) : this.#event('response.output_text.done', { ...where, text: part.text, logprobs: part.logprobs });
    return done + this.#event('response.content_part.done', { ...where, part });
  }

  /** Closes the open message or reasoning item, if any. */
  #closeText(status: ResponsesItemStatus): string {
    const open = this.#open;
    if (open === null) return '';
    this.#open = null;
    let out = '';
    if (open.kind === 'message') out += this.#closePart(open);
    else {
      const part = open.item.content[0];
      const where = { item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
      out += this.#event('response.reasoning_text.done', { ...where, text: part.text }) + this.#event('response.content_part.done', { ...where, part });
      this.#seal(open);
    }
    open.item.status = status;
    return out + this.#event('response.output_item.done', { output_index: open.outputIndex, item: open.item });
  }

  #toolCall(delta: ToolCallDelta): string {
    let out = '';
    let call = this.#calls.get(delta.index);
    if (call === undefined) {
      out += this.#closeText('completed');
      const item: ResponsesOutputFunctionCall = { type: 'function_call', id: responsesId('fc'), call_id: delta.id ?? `call_${responsesId('fc').slice(3)}`, name: delta.function?.name ?? '', arguments: '', status: 'in_progress' };
      call = { outputIndex: null, item };
      this.#calls.set(delta.index, call);
      const open = this.#openCall;
      if (this.#waiting.length > 0 || (open !== null && !argumentsComplete(open.item.arguments))) this.#waiting.push(call);
      else out += this.#closeOpenCall('completed') + this.#addCall(call);
    } else if (call.item.name === '' && typeof delta.function?.name === 'string') {
      call.item.name = delta.function.name;
    }
    const piece = delta.function?.arguments;
    if (typeof piece !== 'string' || piece === '') return out;
    call.item.arguments += piece;
    // A waiting call's arguments go out whole when it is added.
    if (call.outputIndex === null) return out;
    out += this.#event('response.function_call_arguments.delta', { item_id: call.item.id, output_index: call.outputIndex, delta: piece });
    if (this.#waiting.length > 0 && call === this.#openCall && argumentsComplete(call.item.arguments)) out += this.#nextWaiting();
    return out;
  }

  /** A call's output_item.added, and its arguments so far (a call that waited has some) as one delta: it is the open call now. */
  #addCall(call: ToolCall): string {
    const added = this.#addItem(call.item);
    call.outputIndex = added.outputIndex;
    this.#openCall = call;
    if (call.item.arguments === '') return added.out;
    return added.out + this.#event('response.function_call_arguments.delta', { item_id: call.item.id, output_index: added.outputIndex, delta: call.item.arguments });
  }

  /** The open call is whole: closes it and adds the waiting calls in order, as long as each is whole; the last added stays open. */
  #nextWaiting(): string {
    let out = '';
    while (this.#waiting.length > 0) {
      const next = this.#waiting.shift() as ToolCall;
      out += this.#closeOpenCall('completed') + this.#addCall(next);
      if (!argumentsComplete(next.item.arguments)) break;
    }
    return out;
  }

  /** Closes the open call and every waiting one, in order, with `status` (the answer goes on with something else, or ends). */
  #closeCalls(status: ResponsesItemStatus): string {
    let out = '';
    for (const next of this.#waiting) out += this.#closeOpenCall(status) + this.#addCall(next);
    this.#waiting = [];
    return out + this.#closeOpenCall(status);
  }

  #closeOpenCall(status: ResponsesItemStatus): string {
    const call = this.#openCall;
    if (call === null || call.outputIndex === null) return '';
    this.#openCall = null;
    const { item, outputIndex } = call;
    item.status = status;
    return this.#event('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, name: item.name, arguments: item.arguments }) + this.#event('response.output_item.done', { output_index: outputIndex, item });
  }
}
