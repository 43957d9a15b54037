import { sseBody } from './stand-in-server.ts';

/** OpenAI chat bodies as stand-in providers answer them (one shape for tests that only need a plain answer). */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A chat completion with one assistant message. */
export function chatCompletion(model: string, content: string, usage: Usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }): object {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model, choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }], usage };
}

/** A chat completion chunk with one choice. */
export function chatChunk(model: string, delta: object, finish: string | null = null): object {
  return { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

/** What an OpenAI-compatible provider sends for `content`: a completion, or (stream) one chunk and [DONE] as SSE. */
export function chatAnswer(model: string, content: string, stream: boolean): { contentType: string; text: string } {
  if (!stream) return { contentType: 'application/json', text: JSON.stringify(chatCompletion(model, content)) };
  return { contentType: 'text/event-stream', text: sseBody([chatChunk(model, { role: 'assistant', content }, 'stop'), '[DONE]']) };
}
