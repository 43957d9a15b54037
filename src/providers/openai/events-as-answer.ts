import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { openAIStreamError } from '../../formats/openai/openai-stream-error.ts';
import { SseParser } from '../../upstream/sse-parser.ts';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Adds one delta's fields to what a message has so far: text (content, reasoning_content,
 * OpenRouter's reasoning, refusal) is appended, arrays (reasoning_details) joined, anything else
 * taken as it last came; tool calls are joined by their index (id, type and name as they first
 * came, the arguments appended).
 */
function addDelta(message: Fields, calls: Fields[], delta: Fields): void {
  for (const key in delta) {
    const value = delta[key];
    if (key === 'tool_calls') {
      if (Array.isArray(value)) for (const part of value) if (isObject(part)) addToolCallDelta(calls, part);
      continue;
    }
    if (value === null || value === undefined) continue;
    const before = message[key];
    if (typeof value === 'string' && typeof before === 'string' && key !== 'role') message[key] = before + value;
    else if (Array.isArray(value) && Array.isArray(before)) message[key] = [...(before as unknown[]), ...(value as unknown[])];
    else message[key] = value;
  }
}

function addToolCallDelta(calls: Fields[], part: Fields): void {
  const { index, id, type, function: fn } = part;
  const position = typeof index === 'number' ? index : calls.length;
  const call = (calls[position] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
  if (typeof id === 'string' && call.id === '') call.id = id;
  if (typeof type === 'string') call.type = type;
  if (!isObject(fn)) return;
  const into = call.function as { name: string; arguments: string };
  if (typeof fn.name === 'string' && into.name === '') into.name = fn.name;
  if (typeof fn.arguments === 'string') into.arguments += fn.arguments;
}

/** One choice of the answer as its chunks build it up. */
interface ChoiceSoFar {
  message: Fields;
  calls: Fields[];
  text: string;
  finishReason: unknown;
  /** logprobs.content of every chunk, joined (null while none came). */
  logprobs: unknown[] | null;
  /** Other fields of the choice (OpenRouter's native_finish_reason), as they last came. */
  rest: Fields;
}

function addChoice(choices: Map<number, ChoiceSoFar>, choice: Fields): void {
  const { index = 0, delta, text, finish_reason: finishReason, logprobs, ...rest } = choice;
  const position = typeof index === 'number' ? index : 0;
  let soFar = choices.get(position);
  if (soFar === undefined) choices.set(position, (soFar = { message: { role: 'assistant', content: null }, calls: [], text: '', finishReason: null, logprobs: null, rest: {} }));
  if (isObject(delta)) addDelta(soFar.message, soFar.calls, delta);
  if (typeof text === 'string') soFar.text += text;
  if (finishReason !== null && finishReason !== undefined) soFar.finishReason = finishReason;
  const content = isObject(logprobs) ? logprobs.content : undefined;
  if (Array.isArray(content)) soFar.logprobs = [...(soFar.logprobs ?? []), ...(content as unknown[])];
  Object.assign(soFar.rest, rest);
}

function chatChoice(index: number, soFar: ChoiceSoFar): Fields {
  const message = soFar.message;
  if (soFar.calls.length > 0) message.tool_calls = soFar.calls.filter((call) => call !== undefined);
  return { ...soFar.rest, index, message, logprobs: soFar.logprobs === null ? null : { content: soFar.logprobs }, finish_reason: soFar.finishReason };
}

function completionChoice(index: number, soFar: ChoiceSoFar): Fields {
  return { ...soFar.rest, index, text: soFar.text, logprobs: null, finish_reason: soFar.finishReason };
}

/**
 * A provider's event stream in answer to a call that asked for none (a server that streams
 * whatever it is asked) as the one JSON answer the client asked for, with the usage of its usage
 * chunk: the reverse of answer-as-events.ts. Chat and completions chunks are joined into a
 * chat.completion or text_completion (texts appended, tool calls joined by index, the choice's
 * finish_reason and logprobs, the stream's other fields as its last chunk had them), so every
 * client format gets its answer as from JSON and the ledger its usage. A stream that is not such
 * an answer (another operation, an event that is not JSON, no finished choice) is the provider's
 * bad response, and an error event its failure: thrown before any byte reaches the client, so
 * retries and fallbacks apply.
 */
export function eventsAsAnswer(operation: Operation, body: Buffer, provider: string, scrub: (data: string) => string = (data) => data): Buffer {
  if (operation !== 'chat' && operation !== 'completions') throw errors.upstreamBadResponse(provider, 'a call not streamed was answered with an event stream');
  const parser = new SseParser();
  const head: Fields = {};
  const choices = new Map<number, ChoiceSoFar>();
  let usage: unknown;
  let finished = false;
  for (const event of [...parser.push(body), ...parser.end()]) {
    if (event.data === '' || event.data === '[DONE]') continue;
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw errors.upstreamBadResponse(provider, 'a call not streamed was answered with an event stream whose events are not JSON');
    }
    if (!isObject(chunk)) throw errors.upstreamBadResponse(provider, 'a call not streamed was answered with an event stream whose events are not chunks');
    // An error event is the call's failure, its text scrubbed of the key should the server echo it.
    if (openAIStreamError(chunk) !== null) throw openAIStreamError(JSON.parse(scrub(event.data))) ?? errors.upstreamStreamError(null, null);
    const { choices: chunkChoices, usage: chunkUsage, object: _object, ...fields } = chunk;
    Object.assign(head, fields);
    if (isObject(chunkUsage)) usage = chunkUsage;
    if (Array.isArray(chunkChoices)) for (const choice of chunkChoices) if (isObject(choice)) addChoice(choices, choice);
  }
  for (const soFar of choices.values()) if (soFar.finishReason !== null) finished = true;
  if (!finished) throw errors.upstreamBadResponse(provider, 'a call not streamed was answered with an event stream that ended before the answer was finished (no finish_reason)');
  const ordered = [...choices.entries()].sort(([a], [b]) => a - b);
  const answer: Fields = {
    ...head,
    object: operation === 'chat' ? 'chat.completion' : 'text_completion',
    choices: ordered.map(([index, soFar]) => (operation === 'chat' ? chatChoice(index, soFar) : completionChoice(index, soFar))),
  };
  if (usage !== undefined) answer.usage = usage;
  return Buffer.from(JSON.stringify(answer));
}
