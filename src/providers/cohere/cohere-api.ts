/**
 * Wire types of Cohere's v2 API (POST /v2/chat, POST /v2/embed), only the fields the adapter
 * reads or writes. Field names are Cohere's JSON names.
 */

export interface CohereTextContent { type: 'text'; text: string }
export interface CohereImageContent { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
/** A reasoning model's thinking, in an answer's content (command-a-reasoning). */
export interface CohereThinkingContent { type: 'thinking'; thinking: string }

export interface CohereToolCall {
  id: string;
  type: 'function';
  /** Arguments as a JSON string, as in OpenAI's API. */
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | Array<CohereTextContent | CohereImageContent> }
  | { role: 'assistant'; content?: string; tool_calls?: CohereToolCall[]; tool_plan?: string }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/**
 * A RAG document (`documents` of /v2/chat): a string, or an object whose `data` (an object of
 * fields, or a string) the model reads and whose optional `id` the citations name.
 */
export type CohereDocument = string | { id?: string; data: string | Record<string, unknown>; [field: string]: unknown };

/** How Cohere writes citations: `ACCURATE`, `FAST` or `OFF` (no citations). */
export type CohereCitationMode = 'FAST' | 'ACCURATE' | 'OFF';

export interface CohereCitationOptions {
  mode?: CohereCitationMode;
  [field: string]: unknown;
}

/**
 * A citation of an answer: the span `start`..`end` of the answer's text (`text`), and the
 * documents (or tool results) it rests on. Passed to clients in this shape, never rebuilt.
 */
export interface CohereCitation {
  start?: number;
  end?: number;
  text?: string;
  sources?: unknown[];
  type?: string;
  [field: string]: unknown;
}

export type CohereResponseFormat = { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream: boolean;
  tools?: CohereTool[];
  /** Cohere has no "auto" (leaving it out is auto) and no named function. */
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: CohereResponseFormat;
  temperature?: number;
  /** Top-p (nucleus) sampling: 0.01-0.99 (Cohere answers 400 outside it). */
  p?: number;
  /** Top-k sampling: 0 (off) to 500. */
  k?: number;
  max_tokens?: number;
  stop_sequences?: string[];
  seed?: number;
  /** 0-1 (OpenAI's are -2..2). */
  frequency_penalty?: number;
  presence_penalty?: number;
  /** RAG: what the model grounds its answer in (the client's own `documents` extension field). */
  documents?: CohereDocument[];
  citation_options?: CohereCitationOptions;
}

export type CohereFinishReason = 'COMPLETE' | 'STOP_SEQUENCE' | 'MAX_TOKENS' | 'TOOL_CALL' | 'ERROR' | 'TIMEOUT' | (string & {});

export interface CohereUsage {
  /** What Cohere bills for (may differ from what the model saw). */
  billed_units?: { input_tokens?: number; output_tokens?: number; [extra: string]: unknown };
  /** What the model read and wrote. */
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export interface CohereAssistantMessage {
  role?: 'assistant';
  content?: Array<CohereTextContent | CohereThinkingContent | { type: string; [field: string]: unknown }>;
  tool_plan?: string;
  /** As sent: arguments should be a JSON string, but are read defensively. */
  tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: unknown } }>;
  citations?: CohereCitation[];
}

export interface CohereChatResponse {
  id?: string;
  finish_reason?: CohereFinishReason;
  message?: CohereAssistantMessage;
  usage?: CohereUsage;
}

/** What `delta.message` holds in stream events: one part of the message at a time. */
export interface CohereStreamMessageDelta {
  role?: string;
  content?: { type?: string; text?: string; thinking?: string };
  tool_plan?: string;
  tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
  /** citation-start: one citation (an object, not a list). */
  citations?: CohereCitation;
}

/** One event of a /v2/chat stream (`event: <type>` with the same `type` in the JSON data). */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: CohereStreamMessageDelta;
    finish_reason?: CohereFinishReason;
    usage?: CohereUsage;
    /** Set with finish_reason ERROR. */
    error?: string;
  };
  /** An error object instead of an event. */
  message?: unknown;
}

export interface CohereEmbedRequest {
  model: string;
  /** At most 96 per call (cohereEmbedBatchSize). */
  texts: string[];
  input_type: string;
  embedding_types: ['float'];
  output_dimension?: number;
}

export interface CohereEmbedResponse {
  id?: string;
  embeddings?: { float?: number[][] };
  meta?: { billed_units?: { input_tokens?: number } };
}

/** Cohere's error body: `{"message": "..."}`, sometimes with an `id`. */
export interface CohereErrorBody {
  id?: string;
  message?: string;
}

/** POST /v2/rerank: documents are texts in v2 (v1's objects and return_documents are gone). */
export interface CohereRerankRequest {
  model: string;
  query: string;
  documents: string[];
  top_n?: number;
  max_tokens_per_doc?: number;
}

export interface CohereRerankResult {
  index: number;
  relevance_score: number;
}

export interface CohereRerankResponse {
  id?: string;
  results?: CohereRerankResult[];
  /** `api_version`, `billed_units.search_units` (searches, not tokens), `warnings`. */
  meta?: Record<string, unknown>;
}
