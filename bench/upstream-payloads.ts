/**
 * The stand-in upstream's answers, built once at start so that answering costs a buffer write.
 * Shapes follow the real APIs (OpenAI chat completions and Anthropic Messages, JSON and SSE), so
 * the gateway does the same work it does in front of the real services. The translated providers'
 * formats (Cohere, Ollama, Bedrock) have a file each beside this one.
 */

/** The pieces of a stream: a first event, one content event repeated, and a tail that may count the chunks. */
export interface StreamPayload {
  first: Buffer;
  content: Buffer;
  end(chunks: number): Buffer;
}

/**
 * A tail built once per chunk count and kept: a stream's tail carries the number of chunks (the
 * usage), and the stand-in should not serialize it again for every request.
 */
export function tailPerChunkCount(build: (chunks: number) => Buffer): (chunks: number) => Buffer {
  const built = new Map<number, Buffer>();
  return (chunks) => {
    let tail = built.get(chunks);
    if (!tail) built.set(chunks, (tail = build(chunks)));
    return tail;
  };
}

const model = 'gpt-4o-mini';
const anthropicModel = 'claude-sonnet-4-5';
const created = 1_764_748_800;
/** The whole answer of a non-streamed completion, in every format. */
export const answer = 'Hello! This answer comes from the benchmark stand-in upstream.';
/** The text of every content chunk of a stream, in every format. */
export const word = ' token';

function sse(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

function anthropicEvent(type: string, value: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(value)}\n\n`;
}

/** OpenAI chat completion (non-streaming). */
export const openAIJson = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench0000000000000000000000',
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 24, completion_tokens: 12, total_tokens: 36 },
    system_fingerprint: 'fp_bench',
  }),
);

/** One chunk; with `usage` (the client asked for it), `"usage": null` as OpenAI puts in every chunk but the last. */
function openAIChunk(delta: Record<string, unknown>, finishReason: string | null, usage = false): Record<string, unknown> {
  const chunk = { id: 'chatcmpl-bench0000000000000000000000', object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_bench', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  return usage ? { ...chunk, usage: null } : chunk;
}

/** The pieces of an OpenAI chat stream: first (role), one content chunk repeated, then the tail. */
export const openAIStream = {
  first: Buffer.from(sse(openAIChunk({ role: 'assistant', content: '' }, null))),
  content: Buffer.from(sse(openAIChunk({ content: word }, null))),
  end: Buffer.from(sse(openAIChunk({}, 'stop')) + 'data: [DONE]\n\n'),
};

/**
 * The same stream when the client asked for usage (stream_options.include_usage), as OpenAI sends
 * it: every chunk has `"usage": null`, and a last chunk with no choices carries the usage.
 */
export const openAIStreamWithUsage = {
  first: Buffer.from(sse(openAIChunk({ role: 'assistant', content: '' }, null, true))),
  content: Buffer.from(sse(openAIChunk({ content: word }, null, true))),
  end: (chunks: number): Buffer =>
    Buffer.from(
      sse(openAIChunk({}, 'stop', true)) +
        sse({ id: 'chatcmpl-bench0000000000000000000000', object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_bench', choices: [], usage: { prompt_tokens: 24, completion_tokens: chunks, total_tokens: 24 + chunks } }) +
        'data: [DONE]\n\n',
    ),
};

/** Anthropic Messages response (non-streaming). */
export const anthropicJson = Buffer.from(
  JSON.stringify({
    id: 'msg_bench000000000000000000',
    type: 'message',
    role: 'assistant',
    model: anthropicModel,
    content: [{ type: 'text', text: answer }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 24, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  }),
);

/** The pieces of an Anthropic Messages stream, in the same first/content/end split. */
export const anthropicStream = {
  first: Buffer.from(
    anthropicEvent('message_start', {
      type: 'message_start',
      message: { id: 'msg_bench000000000000000000', type: 'message', role: 'assistant', model: anthropicModel, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 24, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    }) +
      anthropicEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
      anthropicEvent('ping', { type: 'ping' }),
  ),
  content: Buffer.from(anthropicEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } })),
  end: (chunks: number): Buffer =>
    Buffer.from(
      anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        anthropicEvent('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: chunks } }) +
        anthropicEvent('message_stop', { type: 'message_stop' }),
    ),
};
