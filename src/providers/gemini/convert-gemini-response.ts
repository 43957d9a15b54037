import type { ChatChoice, ChatResponse, ToolCall } from '../../canonical/chat.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GeminiGenerateContentResponse, GeminiPart, GeminiPromptFeedback } from './gemini-api.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { mapGeminiLogprobs } from './gemini-logprobs.ts';
import { encodeToolCallId } from './gemini-tool-call-id.ts';
import { mapGeminiUsage } from './gemini-usage.ts';
import type { GeminiToolNames } from './gemini-tool-names.ts';
import { failedToolCallError, isFailedToolCallFinish, type FailedToolCallListener } from './gemini-failed-tool-call.ts';

/** What a response or stream conversion needs besides Gemini's body. */
export interface GeminiResponseContext {
  /** The chat completion id. */
  id: string;
  /** The model name to report (the one the gateway asked for). */
  model: string;
  created: number;
  /** Makes the id of the n-th tool call when Gemini gives none (unique per response). */
  makeToolCallId: (index: number) => string;
  /** The provider's configured name, for error messages. */
  provider?: string;
  /** The request's function names (gemini-tool-names.ts): a renamed function's calls come back under the client's name. */
  toolNames?: GeminiToolNames;
  /** The forced tool standing in for JSON mode beside functions (gemini-json-mode.ts): its call's arguments are the answer text. */
  jsonToolName?: string;
  /** Told each candidate that ended with a failed function call (gemini-failed-tool-call.ts), for the log. */
  onFailedToolCall?: FailedToolCallListener;
}

/** The JSON answer a call of the forced JSON tool carries, or undefined for any other part. */
export function jsonAnswerOf(part: GeminiPart, jsonToolName: string | undefined): string | undefined {
  return jsonToolName !== undefined && part.functionCall?.name === jsonToolName ? JSON.stringify(part.functionCall.args ?? {}) : undefined;
}

/**
 * A function call of a part as an OpenAI tool call (arguments as a JSON string): Gemini's own id
 * when it gave one (else `fallbackId`), the thought signature folded in, the client's function name.
 */
export function toolCallOf(part: GeminiPart, fallbackId: string, toolNames?: GeminiToolNames): ToolCall {
  const call = part.functionCall!;
  return {
    id: encodeToolCallId(call.id || fallbackId, part.thoughtSignature),
    type: 'function',
    function: { name: toolNames ? toolNames.toClient(call.name) : call.name, arguments: JSON.stringify(call.args ?? {}) },
  };
}

/**
 * Gemini blocked the prompt itself (promptFeedback.blockReason, no candidates). This is answered
 * as Azure OpenAI answers a filtered prompt: HTTP 400 with code `content_filter`, so the route's
 * `fallback_on: content_filter` can try another model and clients see the refusal as an error,
 * not as an empty answer. (Output Gemini blocked mid-answer stays a 200 with finish_reason
 * `content_filter`, as OpenAI does.)
 */
export function promptBlockedError(provider: string, feedback: GeminiPromptFeedback): GatewayError {
  const reason = feedback.blockReason ?? 'BLOCKED';
  const detail = feedback.blockReasonMessage ? `: ${feedback.blockReasonMessage}` : '.';
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'content_filter', message: `Provider '${provider}' blocked the prompt (Gemini blockReason: ${reason})${detail}`, upstream: true });
}

/**
 * A Gemini generateContent answer as an OpenAI chat completion: one choice per candidate, text
 * parts joined as content, thought parts as reasoning_content, function calls as tool_calls,
 * logprobsResult as logprobs. A blocked prompt is thrown (promptBlockedError), and so is a
 * candidate that failed at function calling with nothing to show (failedToolCallError).
 */
export function convertGeminiResponse(response: GeminiGenerateContentResponse, context: GeminiResponseContext): ChatResponse {
  let toolCallCount = 0;
  const candidates = response.candidates ?? [];
  const choices: ChatChoice[] = candidates.map((candidate, position) => {
    let text = '';
    let reasoning = '';
    let hasText = false;
    const toolCalls: ToolCall[] = [];
    for (const part of candidate.content?.parts ?? []) {
      const json = jsonAnswerOf(part, context.jsonToolName);
      if (json !== undefined) {
        // How JSON mode answered beside functions: the content, not a call the client must run.
        text += json;
        hasText = true;
      } else if (part.functionCall) toolCalls.push(toolCallOf(part, context.makeToolCallId(toolCallCount++), context.toolNames));
      else if (typeof part.text === 'string' && part.thought === true) reasoning += part.text;
      else if (typeof part.text === 'string') {
        text += part.text;
        hasText = true;
      }
    }
    if (isFailedToolCallFinish(candidate.finishReason)) {
      context.onFailedToolCall?.(candidate.finishReason, candidate.finishMessage);
      if (!hasText && toolCalls.length === 0) throw failedToolCallError(context.provider ?? 'gemini', candidate.finishReason, candidate.finishMessage);
    }
    const finishReason = mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0);
    // As OpenAI: content is null beside tool calls or filtered output, otherwise a string.
    const content = hasText ? text : toolCalls.length > 0 || finishReason === 'content_filter' ? null : '';
    const message: ChatChoice['message'] = { role: 'assistant', content, refusal: null };
    if (reasoning !== '') message.reasoning_content = reasoning;
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    return { index: candidate.index ?? position, message, finish_reason: finishReason, logprobs: mapGeminiLogprobs(candidate.logprobsResult) };
  });
  if (choices.length === 0) {
    if (response.promptFeedback?.blockReason !== undefined) throw promptBlockedError(context.provider ?? 'gemini', response.promptFeedback);
    choices.push({ index: 0, message: { role: 'assistant', content: '', refusal: null }, finish_reason: 'stop', logprobs: null });
  }
  const result: ChatResponse = { id: context.id, object: 'chat.completion', created: context.created, model: context.model, choices, system_fingerprint: null };
  const usage = mapGeminiUsage(response.usageMetadata);
  if (usage) result.usage = usage;
  return result;
}
