/**
 * Requests of the operations the gateway forwards without translating them: only a provider that
 * speaks OpenAI's API serves them (rerank: also Cohere, whose own API it is), and it gets the
 * client's own body with only `model` rewritten. The gateway reads just what it routes and meters
 * by; the rest is the provider's.
 */

/** The forwarded operations, by the endpoint they come from. */
export type ForwardedOperation = 'moderations' | 'image_generations' | 'image_edits' | 'speech' | 'transcriptions' | 'translations' | 'rerank';

/** The forwarded operations whose body is a multipart/form-data upload. */
export type UploadOperation = 'transcriptions' | 'translations' | 'image_edits';

/** POST /v1/moderations. */
export interface ModerationRequest {
  model: string;
  input: string | string[] | Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }>;
  stream?: undefined;
  [extra: string]: unknown;
}

/** POST /v1/images/generations (`stream: true` answers with image events). */
export interface ImageGenerationRequest {
  model: string;
  prompt: string;
  stream?: boolean | null;
  [extra: string]: unknown;
}

/** POST /v1/audio/speech: the answer is audio bytes (or audio events with `stream_format: "sse"`). */
export interface SpeechRequest {
  model: string;
  input: string;
  voice: unknown;
  stream?: undefined;
  [extra: string]: unknown;
}

/** A document to rerank: its text, or an object carrying it as `text`. */
export type RerankDocument = string | { text: string; [extra: string]: unknown };

/**
 * POST /v1/rerank, Cohere's shape (served by Cohere's /v2/rerank and by the OpenAI-compatible
 * servers that answer it at {base}/rerank: vLLM, Jina, Infinity, TEI and others).
 */
export interface RerankRequest {
  model: string;
  query: string;
  documents: RerankDocument[];
  top_n?: number;
  return_documents?: boolean;
  max_tokens_per_doc?: number;
  stream?: undefined;
  [extra: string]: unknown;
}

/** Where a multipart body's parts are: enough to rewrite the model field without touching the file. */
export interface MultipartLayout {
  /** The client's Content-Type, boundary included, sent upstream as it is. */
  contentType: string;
  /** Byte range of the `model` field's value in the body. */
  modelStart: number;
  modelEnd: number;
}

/** An upload (multipart/form-data): /v1/audio/transcriptions and /translations (the audio file), /v1/images/edits (the images). */
export interface UploadFormRequest {
  model: string;
  stream?: boolean;
  response_format?: string;
  /** The form's layout in the client's bytes (ctx.rawBody), which are what goes upstream. */
  form: MultipartLayout;
}

export type AudioTextRequest = UploadFormRequest;
export type ImageEditRequest = UploadFormRequest;

const forwarded = new Set<string>(['moderations', 'image_generations', 'image_edits', 'speech', 'transcriptions', 'translations', 'rerank']);

/** Whether an operation is one the gateway forwards (not translated through the canonical chat model). */
export function isForwardedOperation(operation: string): operation is ForwardedOperation {
  return forwarded.has(operation);
}

/** Whether an operation's body is a multipart form instead of JSON. */
export function isMultipartOperation(operation: string): operation is UploadOperation {
  return operation === 'transcriptions' || operation === 'translations' || operation === 'image_edits';
}
