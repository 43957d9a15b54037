import { mapMistralFinishReason } from './map-mistral-finish-reason.ts';
import { splitMistralContent } from './mistral-content.ts';
import { mayNeedMistralFix } from './mistral-fix-markers.ts';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A whole Mistral answer (`chat.completion`) as OpenAI clients read it. Mistral's JSON is OpenAI's
 * but for four things, fixed here: tool calls come without `type: "function"` (which the OpenAI
 * SDK's `parse()`, `runTools()` and stream helpers require) and with `content: ""` where OpenAI has
 * null, `finish_reason` may be `model_length`, and a reasoning model's `content` is an array of
 * thinking and text chunks. An answer with none of them is returned as the same bytes, unparsed
 * when its bytes show none (mistral-fix-markers.ts).
 */
export function convertMistralResponse(body: Buffer): Buffer {
  if (!mayNeedMistralFix(body)) return body;
  let completion: unknown;
  try {
    completion = JSON.parse(body.toString('utf8'));
  } catch {
    // Not JSON: the pipeline reports it (or forwards it) as for any OpenAI-compatible provider.
    return body;
  }
  return fixMistralCompletion(completion) ? Buffer.from(JSON.stringify(completion)) : body;
}

/** Fixes a parsed answer in place (convertMistralResponse); true when anything changed. */
export function fixMistralCompletion(completion: unknown): boolean {
  const choices = isFields(completion) ? completion.choices : undefined;
  if (!Array.isArray(choices)) return false;
  let changed = false;
  for (const choice of choices) {
    if (!isFields(choice)) continue;
    changed = fixFinishReason(choice) || changed;
    const message = choice.message;
    if (!isFields(message)) continue;
    if (Array.isArray(message.content)) {
      const { text, thinking } = splitMistralContent(message.content);
      message.content = text;
      if (thinking !== null) message.reasoning_content = thinking;
      changed = true;
    }
    if (Array.isArray(message.tool_calls)) {
      changed = typeToolCalls(message.tool_calls, false) || changed;
      changed = nullContentBesideToolCalls(message) || changed;
    }
  }
  return changed;
}

/**
 * Mistral answers `content: ""` beside tool calls; OpenAI answers null there (a string only when
 * there is text), which code checking `content === null` relies on. True when it changed.
 */
export function nullContentBesideToolCalls(message: Fields): boolean {
  if (message.content !== '' || !Array.isArray(message.tool_calls) || message.tool_calls.length === 0) return false;
  message.content = null;
  return true;
}

/** Mistral's finish reason on a choice as OpenAI's (map-mistral-finish-reason.ts); true when it changed. */
export function fixFinishReason(choice: Fields): boolean {
  const reason = mapMistralFinishReason(choice.finish_reason);
  if (reason === choice.finish_reason) return false;
  choice.finish_reason = reason;
  return true;
}

/**
 * Gives each tool call the `type: "function"` Mistral leaves out (function calls are the only kind
 * it makes). In a stream each tool-call delta also needs its `index`, which OpenAI clients use to
 * put the pieces of a call together: Mistral sends one; one missing is the delta's position.
 */
export function typeToolCalls(calls: unknown[], streamed: boolean): boolean {
  let changed = false;
  calls.forEach((call, position) => {
    if (!isFields(call)) return;
    if (call.type === undefined || call.type === null) {
      call.type = 'function';
      changed = true;
    }
    if (streamed && typeof call.index !== 'number') {
      call.index = position;
      changed = true;
    }
  });
  return changed;
}
