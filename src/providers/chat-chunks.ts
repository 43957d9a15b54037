import type { ChatChunk, ChatDelta, FinishReason, Usage } from '../canonical/chat.ts';

/** What every chunk of one streamed answer repeats: its id, creation time (seconds) and model. */
export interface ChunkHead {
  id: string;
  created: number;
  model: string;
}

/**
 * An OpenAI chat chunk with one choice's delta (and its finish_reason on the last one). `usage` is
 * null on every such chunk, as OpenAI sends it to a client that asked for usage (the openai SDK's
 * ChatCompletionChunk: null except on the last chunk); the usage chunk below carries the numbers.
 */
export function deltaChunk(head: ChunkHead, delta: ChatDelta, finishReason: FinishReason | null = null, index = 0): ChatChunk {
  return { id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model, system_fingerprint: null, choices: [{ index, delta, finish_reason: finishReason, logprobs: null }], usage: null };
}

/** The usage chunk that ends a stream (`choices: []`; the gateway forwards it only when the client asked). */
export function usageChunk(head: ChunkHead, usage: Usage): ChatChunk {
  return { id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model, system_fingerprint: null, choices: [], usage };
}
