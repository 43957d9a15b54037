import type { ChatResponse, ToolCall } from '../../canonical/chat.ts';
import type { BedrockConverseResponse } from './bedrock-api.ts';
import { jsonAnswerOf } from './bedrock-json-mode.ts';
import { mapBedrockStopReason, matchedStopSequence } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

export interface BedrockResponseContext {
  /** Converse answers carry no id or model name: the gateway's own are used. */
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** The JSON-mode tool of the request, whose input is the answer text. */
  jsonToolName: string | null;
  /** JSON mode by instruction: the answer's text is read back as JSON (jsonAnswerOf). */
  jsonText?: boolean;
  /** The stop sequences the request sent (matchedStopSequence). */
  stopSequences?: readonly string[];
}

/**
 * A Converse response as a chat.completion: text blocks joined into `content`, toolUse blocks as
 * tool_calls (input as a JSON string), reasoningText as `reasoning_content` (+ its signature, to
 * send it back). Redacted reasoning, guardrail and citation blocks have no OpenAI counterpart.
 * A stop sequence that ended the answer is named on the choice (`stop_sequence`, an extension).
 */
export function convertBedrockResponse(answer: BedrockConverseResponse, context: BedrockResponseContext): ChatResponse {
  const texts: string[] = [];
  const reasoning: string[] = [];
  let signature: string | undefined;
  const toolCalls: ToolCall[] = [];
  let answeredInJson = false;
  for (const block of answer.output?.message?.content ?? []) {
    if (typeof block.text === 'string') texts.push(block.text);
    else if (block.toolUse) {
      const input = block.toolUse.input ?? {};
      if (context.jsonToolName !== null && block.toolUse.name === context.jsonToolName) {
        texts.push(JSON.stringify(input));
        answeredInJson = true;
      } else {
        toolCalls.push({ id: String(block.toolUse.toolUseId), type: 'function', function: { name: String(block.toolUse.name), arguments: JSON.stringify(input) } });
      }
    } else if (block.reasoningContent?.reasoningText) {
      reasoning.push(String(block.reasoningContent.reasoningText.text ?? ''));
      if (typeof block.reasoningContent.reasoningText.signature === 'string') signature = block.reasoningContent.reasoningText.signature;
    }
  }
  let finishReason = mapBedrockStopReason(answer.stopReason);
  // The forced JSON tool is how the answer was delivered, not a call the client must run.
  if (finishReason === 'tool_calls' && answeredInJson && toolCalls.length === 0) finishReason = 'stop';
  let content = texts.length > 0 ? texts.join('') : null;
  // JSON mode by instruction: the JSON without the fence or sentence a model may put around it; not when the model called a tool instead.
  if (context.jsonText && content !== null && toolCalls.length === 0) content = jsonAnswerOf(content);
  const message: ChatResponse['choices'][number]['message'] = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) {
    message.reasoning_content = reasoning.join('');
    if (signature !== undefined) message.reasoning_signature = signature;
  }
  const choice: ChatResponse['choices'][number] = { index: 0, message, finish_reason: finishReason, logprobs: null };
  const stopSequence = matchedStopSequence(answer.stopReason, answer.additionalModelResponseFields, context.stopSequences);
  if (stopSequence !== undefined) Object.assign(choice, { stop_sequence: stopSequence });
  return {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [choice],
    usage: mapBedrockUsage(answer.usage),
    system_fingerprint: null,
  };
}
