import type { ChatChunk } from '../../canonical/chat.ts';
import type { BedrockConverseResponse, BedrockStreamEvents } from './bedrock-api.ts';
import type { EventStreamMessage } from './bedrock-event-stream.ts';
import { BedrockStreamMapper, type BedrockStreamContext } from './bedrock-stream-mapper.ts';

function event<E extends keyof BedrockStreamEvents>(eventType: E, payload: BedrockStreamEvents[E]): EventStreamMessage {
  return { messageType: 'event', eventType, errorType: undefined, payload: JSON.stringify(payload) };
}

/**
 * A whole Converse answer as the ConverseStream events it stands for: messageStart, each content
 * block as its start (tool calls), one delta (text, reasoning text and signature, redacted data,
 * a tool call's whole input) and stop, then messageStop (stop reason, Claude's response fields)
 * and metadata (usage). Blocks the stream mapper does not map (citations, guardrail traces) are
 * left out, as a stream leaves them out.
 */
export function converseAnswerAsEvents(answer: BedrockConverseResponse): EventStreamMessage[] {
  const events = [event('messageStart', { role: 'assistant' })];
  (answer.output?.message?.content ?? []).forEach((block, contentBlockIndex) => {
    if (typeof block.text === 'string') {
      events.push(event('contentBlockDelta', { contentBlockIndex, delta: { text: block.text } }));
    } else if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse;
      events.push(event('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId, name } } }));
      events.push(event('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input: JSON.stringify(input ?? {}) } } }));
    } else if (block.reasoningContent) {
      const { reasoningText, redactedContent } = block.reasoningContent;
      if (reasoningText) events.push(event('contentBlockDelta', { contentBlockIndex, delta: { reasoningContent: { text: reasoningText.text, signature: reasoningText.signature } } }));
      else if (typeof redactedContent === 'string') events.push(event('contentBlockDelta', { contentBlockIndex, delta: { reasoningContent: { redactedContent } } }));
    } else {
      return;
    }
    events.push(event('contentBlockStop', { contentBlockIndex }));
  });
  events.push(event('messageStop', { stopReason: answer.stopReason, additionalModelResponseFields: answer.additionalModelResponseFields }));
  if (answer.usage) events.push(event('metadata', { usage: answer.usage, metrics: answer.metrics }));
  return events;
}

/**
 * A whole Converse answer as the canonical chunks ConverseStream would have given for it, mapped
 * by the stream's own mapper (JSON mode, tool-call indexes, reasoning signatures and finish
 * reasons the same as a real stream's). For a streamed call on a model that takes tools only
 * through Converse: the client still gets a stream, arriving at once.
 */
export function converseAnswerAsChunks(answer: BedrockConverseResponse, context: BedrockStreamContext): AsyncIterableIterator<ChatChunk> {
  const mapper = new BedrockStreamMapper(context);
  const chunks: ChatChunk[] = [];
  // Mapped before the reply is returned, so a failure is an ordinary HTTP error, as for a call not streamed.
  for (const message of converseAnswerAsEvents(answer)) mapper.mapInto(message, (chunk) => chunks.push(chunk));
  return (async function* () {
    yield* chunks;
  })();
}
