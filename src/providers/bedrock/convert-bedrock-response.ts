import type { ChatResponse, ToolCall } from '../../canonical/chat.ts';
import type { BedrockConverseResponse } from './bedrock-api.ts';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

export interface BedrockResponseContext {
  /** Converse answers carry no id or model name: the gateway's own are used. */
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** The JSON-mode tool of the request, whose input is the answer text. */
  jsonToolName: string | null;
}

/**
 * A Converse response as a chat.completion: text blocks joined into `content`, toolUse blocks as
 * tool_calls (input as a JSON string), reasoningText as `reasoning_content` (+ its signature, to
 * send it back). Redacted reasoning, guardrail and citation blocks have no OpenAI counterpart.
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
  const message: ChatResponse['choices'][number]['message'] = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) {
    message.reasoning_content = reasoning.join('');
    if (signature !== undefined) message.reasoning_signature = signature;
  }
  return {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: mapBedrockUsage(answer.usage),
    system_fingerprint: null,
  };
}
