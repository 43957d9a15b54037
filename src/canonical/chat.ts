/**
 * The canonical model: the OpenAI Chat Completions schema plus what it lacks
 * (reasoning content, cached/reasoning/cache-write token usage). Every client format maps to
 * it and every provider adapter maps from it, so there are no provider-to-provider paths.
 * Unknown fields are kept (index signatures) so a passthrough never loses what it did not model.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface TextPart { type: 'text'; text: string }
export interface ImagePart { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
export interface AudioPart { type: 'input_audio'; input_audio: { data: string; format: string } }
export interface FilePart { type: 'file'; file: { file_data?: string; file_id?: string; filename?: string } }
export type ContentPart = TextPart | ImagePart | AudioPart | FilePart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: Role;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** Canonical extension: the model's reasoning/thinking text (Anthropic thinking, DeepSeek reasoning_content). */
  reasoning_content?: string | null;
  /** Canonical extension: opaque signature of a thinking block, needed to send it back to Anthropic. */
  reasoning_signature?: string;
  /**
   * Canonical extension: the encrypted data of redacted thinking blocks, in order, after the
   * reasoning_content's block (Anthropic's `redacted_thinking`, Bedrock's `reasoningContent.redactedContent`).
   */
  reasoning_redacted?: string[];
  refusal?: string | null;
  [extra: string]: unknown;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean; description?: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  n?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  user?: string;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | null;
  metadata?: Record<string, string>;
  [extra: string]: unknown;
}

/**
 * Where a usage keeps the tokens its provider bills when they differ from the tokens the model read
 * and wrote (Cohere's `billed_units` leave out its prompt template): the cost is computed from
 * them. A symbol key, so it travels with the usage (spreads copy it) but never reaches a client's
 * JSON, whose usage keeps OpenAI's meaning.
 */
export const billedTokens: unique symbol = Symbol('tollgate.billed-tokens');

export interface Usage {
  [billedTokens]?: { prompt_tokens: number; completion_tokens: number };
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** `image_tokens`: the part of prompt_tokens that is images (gpt-image models' input_tokens_details), priced at `image_input`. */
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number; image_tokens?: number; [extra: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number; [extra: string]: unknown };
  /** Canonical extension: tokens written to a provider's prompt cache (Anthropic cache_creation_input_tokens). */
  cache_creation_tokens?: number;
  /**
   * Canonical extension: the part of cache_creation_tokens written to a 1-hour cache (Anthropic's
   * cache_creation.ephemeral_1h_input_tokens, Bedrock's cacheDetails with ttl 1h), which costs more
   * than a 5-minute write; the rest of cache_creation_tokens are 5-minute writes.
   */
  cache_creation_1h_tokens?: number;
  /** Canonical extension: the processing tier that served the call (OpenAI's `service_tier`), read with the usage for pricing. */
  service_tier?: string;
  /** Canonical extension: true when the gateway estimated the usage because the provider reported none. */
  estimated?: boolean;
  [extra: string]: unknown;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatChoice {
  index: number;
  message: ChatMessage & { role: 'assistant' };
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatDelta {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string | null;
  /** Canonical extension: the signature that closes a streamed thinking block (Anthropic). */
  reasoning_signature?: string;
  /** Canonical extension: whole redacted thinking blocks, each its encrypted data (ChatMessage.reasoning_redacted). */
  reasoning_redacted?: string[];
  tool_calls?: ToolCallDelta[];
  refusal?: string | null;
  [extra: string]: unknown;
}

export interface ChatChunkChoice {
  index: number;
  delta: ChatDelta;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}
