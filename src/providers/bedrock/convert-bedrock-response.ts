import type { ChatResponse, ToolCall } from '../../canonical/chat.ts';
import type { BedrockConverseResponse } from './bedrock-api.ts';
import { jsonAnswerOf } from './bedrock-json-mode.ts';
import { mapBedrockStopReason, matchedStopSequence } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';
import { wrapReasoningSignature } from '../reasoning-signature.ts';
import { AnswerOrder } from '../../canonical/answer-order.ts';

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
  /** The client speaks OpenAI chat: the reasoning signature carries a digest of the text it signs (../reasoning-signature.ts). */
  wrapSignatures?: boolean;
}

/**
 * A Converse response as a chat.completion: text blocks joined into `content` (with none, `""` as
 * OpenAI answers, but null beside tool calls or for filtered output), toolUse blocks as
 * tool_calls (input as a JSON string), reasoningText as `reasoning_content` (+ its signature, to
 * send it back; for an OpenAI chat client with the digest of the text it signs,
 * ../reasoning-signature.ts), redactedContent as `reasoning_redacted` (a canonical extension: an
 * Anthropic client's redacted_thinking). Guardrail and citation blocks have no OpenAI counterpart.
 * A stop sequence that ended the answer is named on the choice (`stop_sequence`, an extension).
 * When the blocks' order has no canonical form (several reasoning blocks, as Claude's interleaved
 * thinking writes them; text after a tool call), the message also carries them in order for
 * Anthropic-format clients (../../canonical/answer-order.ts).
 */
export function convertBedrockResponse(answer: BedrockConverseResponse, context: BedrockResponseContext): ChatResponse {
  const texts: string[] = [];
  const reasoning: string[] = [];
  let signature: string | undefined;
  // The text of the block the signature signs: with several reasoning blocks, not all of reasoning_content.
  let signedText = '';
  const toolCalls: ToolCall[] = [];
  const redacted: string[] = [];
  // The blocks in the order Claude wrote them, for Anthropic-format clients (AnswerOrder).
  const order = new AnswerOrder();
  let answeredInJson = false;
  for (const block of answer.output?.message?.content ?? []) {
    if (typeof block.text === 'string') {
      texts.push(block.text);
      order.text(block.text);
    } else if (block.toolUse) {
      const input = block.toolUse.input ?? {};
      if (context.jsonToolName !== null && block.toolUse.name === context.jsonToolName) {
        texts.push(JSON.stringify(input));
        order.text(JSON.stringify(input));
        answeredInJson = true;
      } else {
        const call: ToolCall = { id: String(block.toolUse.toolUseId), type: 'function', function: { name: String(block.toolUse.name), arguments: JSON.stringify(input) } };
        toolCalls.push(call);
        order.toolUse(call, input);
      }
    } else if (block.reasoningContent?.reasoningText) {
      const text = String(block.reasoningContent.reasoningText.text ?? '');
      reasoning.push(text);
      const blockSignature = block.reasoningContent.reasoningText.signature;
      if (typeof blockSignature === 'string') {
        signature = blockSignature;
        signedText = text;
      }
      order.thinking(text, typeof blockSignature === 'string' ? blockSignature : '');
    } else if (typeof block.reasoningContent?.redactedContent === 'string' && block.reasoningContent.redactedContent !== '') {
      redacted.push(block.reasoningContent.redactedContent);
      order.redacted(block.reasoningContent.redactedContent);
    }
  }
  let finishReason = mapBedrockStopReason(answer.stopReason);
  // The forced JSON tool is how the answer was delivered, not a call the client must run.
  if (finishReason === 'tool_calls' && answeredInJson && toolCalls.length === 0) finishReason = 'stop';
  // As OpenAI (and the gemini adapter): a string ("" when empty), null only beside tool calls or for filtered output.
  let content = texts.length > 0 ? texts.join('') : toolCalls.length > 0 || finishReason === 'content_filter' ? null : '';
  // JSON mode by instruction: the JSON without the fence or sentence a model may put around it; not when the model called a tool instead.
  if (context.jsonText && content !== null && toolCalls.length === 0) content = jsonAnswerOf(content);
  const message: ChatResponse['choices'][number]['message'] = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning.length > 0) {
    message.reasoning_content = reasoning.join('');
    if (signature !== undefined) message.reasoning_signature = context.wrapSignatures ? wrapReasoningSignature(signature, signedText) : signature;
  }
  if (redacted.length > 0) message.reasoning_redacted = redacted;
  // OpenAI chat clients have no blocks: theirs is the message alone.
  if (!context.wrapSignatures) order.placeOn(message);
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
