import type { ChatRequest, ChatResponse, ChatChunk } from './chat.ts';
import type { CompletionRequest, CompletionResponse } from './completions.ts';
import type { EmbeddingRequest, EmbeddingResponse } from './embeddings.ts';
import type { AudioTextRequest, ForwardedOperation, ImageEditRequest, ImageGenerationRequest, ModerationRequest, RerankRequest, SpeechRequest } from './forwarded.ts';

/** What a client asked the gateway to do: the translated operations, and those forwarded to OpenAI-format providers only (forwarded.ts; rerank also to Cohere). */
export type Operation = 'chat' | 'completions' | 'embeddings' | ForwardedOperation;

export interface OperationRequest {
  chat: ChatRequest;
  completions: CompletionRequest;
  embeddings: EmbeddingRequest;
  moderations: ModerationRequest;
  image_generations: ImageGenerationRequest;
  image_edits: ImageEditRequest;
  speech: SpeechRequest;
  transcriptions: AudioTextRequest;
  translations: AudioTextRequest;
  rerank: RerankRequest;
}

export interface OperationResponse {
  chat: ChatResponse;
  completions: CompletionResponse;
  embeddings: EmbeddingResponse;
}

export type CanonicalRequest = ChatRequest | CompletionRequest | EmbeddingRequest | ModerationRequest | ImageGenerationRequest | SpeechRequest | AudioTextRequest | RerankRequest;
export type CanonicalResponse = ChatResponse | CompletionResponse | EmbeddingResponse;
/** A streamed event: a chat chunk, or a text-completion chunk for /v1/completions. */
export type CanonicalChunk = ChatChunk | (CompletionResponse & { object: 'text_completion' });
