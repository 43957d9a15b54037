import type { ChatRequest, ChatResponse, ChatChunk } from './chat.ts';
import type { CompletionRequest, CompletionResponse } from './completions.ts';
import type { EmbeddingRequest, EmbeddingResponse } from './embeddings.ts';

/** What a client asked the gateway to do. */
export type Operation = 'chat' | 'completions' | 'embeddings';

export interface OperationRequest {
  chat: ChatRequest;
  completions: CompletionRequest;
  embeddings: EmbeddingRequest;
}

export interface OperationResponse {
  chat: ChatResponse;
  completions: CompletionResponse;
  embeddings: EmbeddingResponse;
}

export type CanonicalRequest = ChatRequest | CompletionRequest | EmbeddingRequest;
export type CanonicalResponse = ChatResponse | CompletionResponse | EmbeddingResponse;
/** A streamed event: a chat chunk, or a text-completion chunk for /v1/completions. */
export type CanonicalChunk = ChatChunk | (CompletionResponse & { object: 'text_completion' });
