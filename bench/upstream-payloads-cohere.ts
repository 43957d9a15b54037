import { answer, tailPerChunkCount, word, type StreamPayload } from './upstream-payloads.ts';

/**
 * The stand-in's Cohere v2 chat answers (`POST /v2/chat`), shaped as Cohere sends them (see
 * test/fixtures/cohere/): a JSON response, and a stream of typed SSE events (`event: <type>` with
 * JSON data of the same `type`) that ends with `message-end` carrying the finish reason and usage.
 */

const id = 'c14c80c3-18eb-4519-9460-bench00000000';

function cohereEvent(value: { type: string } & Record<string, unknown>): string {
  return `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;
}

/** Cohere counts tokens twice: what the model read and wrote (`tokens`) and what is billed. */
function usage(outputTokens: number): Record<string, unknown> {
  return { billed_units: { input_tokens: 12, output_tokens: outputTokens }, tokens: { input_tokens: 24, output_tokens: outputTokens } };
}

/** Cohere chat response (non-streaming). */
export const cohereJson = Buffer.from(
  JSON.stringify({
    id,
    finish_reason: 'COMPLETE',
    message: { role: 'assistant', content: [{ type: 'text', text: answer }] },
    usage: usage(12),
  }),
);

/** A Cohere chat stream: message-start and content-start, content-delta repeated, content-end and message-end. */
export const cohereStream: StreamPayload = {
  first: Buffer.from(
    cohereEvent({ id, type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }) +
      cohereEvent({ type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
  ),
  content: Buffer.from(cohereEvent({ type: 'content-delta', index: 0, delta: { message: { content: { text: word } } } })),
  end: tailPerChunkCount((chunks) =>
    Buffer.from(cohereEvent({ type: 'content-end', index: 0 }) + cohereEvent({ type: 'message-end', delta: { finish_reason: 'COMPLETE', usage: usage(chunks) } })),
  ),
};
