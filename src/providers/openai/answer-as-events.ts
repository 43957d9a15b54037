import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';

type Fields = Record<string, unknown>;

function event(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A chat.completion as the chunks OpenAI streams for it: per choice one chunk with the whole
 * message as its delta (role, content, tool calls with their indexes, and whatever else the
 * message carries: refusal, reasoning_content, OpenRouter's reasoning) and its logprobs, then one
 * with the finish_reason; then the usage chunk (`choices: []`) when the answer has usage; the
 * response's other top-level fields (id, created, model, service_tier, system_fingerprint, …) on
 * every chunk.
 */
function chatCompletionChunks(answer: Fields): Fields[] {
  const { object: _object, choices, usage, ...head } = answer;
  const chunks: Fields[] = [];
  const finishes: Fields[] = [];
  for (const choice of choices as Fields[]) {
    const { index = 0, message, finish_reason: finishReason = null, logprobs = null, ...rest } = choice;
    const { tool_calls: toolCalls, ...fields } = message as Fields;
    const delta: Fields = { role: 'assistant', ...fields, content: fields.content ?? null };
    if (Array.isArray(toolCalls) && toolCalls.length > 0) delta.tool_calls = toolCalls.map((call, position) => ({ index: position, ...(call as Fields) }));
    chunks.push({ ...head, object: 'chat.completion.chunk', choices: [{ index, delta, logprobs, finish_reason: null }] });
    finishes.push({ ...head, object: 'chat.completion.chunk', choices: [{ ...rest, index, delta: {}, logprobs: null, finish_reason: finishReason }] });
  }
  chunks.push(...finishes);
  if (isObject(usage)) chunks.push({ ...head, object: 'chat.completion.chunk', choices: [], usage });
  return chunks;
}

/** A legacy text_completion: its choices are already a chunk's (text, index, logprobs, finish_reason); the usage goes last. */
function completionChunks(answer: Fields): Fields[] {
  const { usage, ...rest } = answer;
  const chunks: Fields[] = [rest];
  if (isObject(usage)) chunks.push({ ...rest, choices: [], usage });
  return chunks;
}

/**
 * A provider's whole JSON answer to a streamed chat or completions call (a server that ignores
 * `stream: true`) as the event stream it stands for, ending in `[DONE]`: a client that asked for a
 * stream gets one, whatever its format (OpenAI chat and completions clients get these events as
 * the provider's; Anthropic and Responses clients get them translated). An answer that is not a
 * chat completion (or a completion) is the provider's bad response.
 */
export function answerAsEvents(operation: Operation, body: Buffer, provider: string): Buffer {
  let answer: unknown;
  try {
    answer = JSON.parse(body.toString('utf8'));
  } catch {
    throw errors.upstreamBadResponse(provider, 'a streamed call was answered with a body that is neither an event stream nor JSON');
  }
  const choices = isObject(answer) ? answer.choices : undefined;
  const wellFormed = Array.isArray(choices) && choices.every((choice) => isObject(choice) && (operation === 'chat' ? isObject(choice.message) : typeof choice.text === 'string'));
  if (!isObject(answer) || !wellFormed) throw errors.upstreamBadResponse(provider, `a streamed call was answered with JSON that is not a ${operation === 'chat' ? 'chat completion' : 'completion'}`);
  const chunks = operation === 'chat' ? chatCompletionChunks(answer) : completionChunks(answer);
  return Buffer.from(chunks.map(event).join('') + 'data: [DONE]\n\n');
}
