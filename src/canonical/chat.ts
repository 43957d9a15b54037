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

/**
 * Where a usage keeps the fields of an Anthropic usage it has no place for, as Anthropic sent them:
 * `cache_creation` (the cache writes by lifetime), `server_tool_use` (web search and fetch
 * requests), `service_tier`, and fields newer than the gateway. Only the Anthropic client format
 * reads them, so an Anthropic client gets the usage Anthropic gave. A symbol key: spreads copy it,
 * no client's JSON holds it, and the cost never reads it (the canonical fields price a call;
 * Anthropic's `service_tier` names no tier of the price catalog).
 */
export const anthropicUsageFields: unique symbol = Symbol('tollgate.anthropic-usage-fields');

export interface Usage {
  [billedTokens]?: { prompt_tokens: number; completion_tokens: number };
  [anthropicUsageFields]?: Record<string, unknown>;
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

/**
 * Where a choice (or a stream's finish chunk choice) keeps the stop reason its provider gave when
 * finish_reason cannot say it: Anthropic's `pause_turn` (read as `stop`: a server tool paused a
 * long turn, which the client sends back to go on) and `model_context_window_exceeded` (read as
 * `length`). Only the Anthropic client format reads it, and only while finish_reason is still what
 * the reason reads as (a plugin that changed it wins). A symbol key: no OpenAI-format answer holds it.
 * A stop sequence that matched is not here but in `stop_sequence`, beside finish_reason `stop`.
 */
export const providerStopReason: unique symbol = Symbol('tollgate.provider-stop-reason');

/** What a choice may say of how it ended beyond finish_reason (canonical extensions). */
export interface ChoiceStop {
  /** Canonical extension: the stop sequence that ended the choice (null: one did, which is not known); set by Anthropic, Bedrock and Cohere, read by the Anthropic client format. */
  stop_sequence?: string | null;
  [providerStopReason]?: string;
}

export interface ChatChoice extends ChoiceStop {
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

/**
 * Where a stream delta carries the Anthropic content blocks that end at its place in the stream,
 * for an Anthropic-format client (the anthropic adapter sets it for no other): a `text` block is
 * the end of the text the content deltas before it wrote, with its text as Claude wrote it and its
 * `citations` (the client gets them only while the text it got is that text: a plugin that
 * rewrote it wins); any other block is one the canonical delta has no field for (a server tool's
 * call or result, an MCP block, a container upload…), whole, in its place. A symbol key: no
 * OpenAI-format chunk holds it.
 */
export const anthropicBlockEnds: unique symbol = Symbol('tollgate.anthropic-block-ends');

/**
 * Where a stream's first chunk carries the usage its provider reported as the stream opened
 * (Anthropic's `message_start`: the input side, cache writes by lifetime, service tier), for a
 * client format whose stream opens with one. A symbol key: no OpenAI-format chunk holds it.
 */
export const openingUsage: unique symbol = Symbol('tollgate.opening-usage');

export interface ChatDelta {
  [anthropicBlockEnds]?: Array<Record<string, unknown> & { type: string }>;
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

export interface ChatChunkChoice extends ChoiceStop {
  index: number;
  delta: ChatDelta;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

export interface ChatChunk {
  [openingUsage]?: Usage;
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}
