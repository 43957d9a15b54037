/**
 * The Anthropic Messages API wire shapes the adapter reads and writes (POST /v1/messages).
 * Plain types, no runtime validation: the converters check what they rely on, and unknown
 * block or event types are skipped so new API features do not break old gateways.
 */

export const anthropicVersion = '2023-06-01';

export interface AnthropicCacheControl { type: 'ephemeral'; ttl?: string }

/** `citations`: in an answer, the sources a text block cites (web search results, documents), null or absent when none. */
export interface AnthropicTextBlock { type: 'text'; text: string; cache_control?: AnthropicCacheControl; citations?: unknown[] | null }

export type AnthropicImageSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string };

export interface AnthropicImageBlock { type: 'image'; source: AnthropicImageSource; cache_control?: AnthropicCacheControl }

/**
 * A document: a PDF (base64 or by URL) or plain text (`text` source, the text itself; Anthropic
 * takes no other base64 media type).
 */
export interface AnthropicDocumentBlock {
  type: 'document';
  source: { type: 'base64'; media_type: 'application/pdf'; data: string } | { type: 'text'; media_type: 'text/plain'; data: string } | { type: 'url'; url: string };
  title?: string;
}

export interface AnthropicToolUseBlock { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string | Array<AnthropicTextBlock | AnthropicImageBlock>;
  is_error?: boolean;
}

export interface AnthropicThinkingBlock { type: 'thinking'; thinking: string; signature: string }
export interface AnthropicRedactedThinkingBlock { type: 'redacted_thinking'; data: string }

export type AnthropicRequestBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessage { role: 'user' | 'assistant'; content: AnthropicRequestBlock[] }

export interface AnthropicTool { name: string; description?: string; input_schema: Record<string, unknown>; cache_control?: AnthropicCacheControl }

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export type AnthropicThinkingConfig = { type: 'enabled'; budget_tokens: number } | { type: 'adaptive' };

/**
 * `output_config`: `effort`, how much thinking (and care) adaptive-thinking models spend; `format`,
 * structured output (`{type: json_schema, schema}`), sent only as an Anthropic client gave it.
 */
export interface AnthropicOutputConfig {
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  format?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface AnthropicRequest {
  model: string;
  messages: AnthropicMessage[];
  max_tokens: number;
  system?: AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id: string };
  thinking?: AnthropicThinkingConfig;
  output_config?: AnthropicOutputConfig;
  /** The structured-outputs beta's name for `output_config.format`, sent only as an Anthropic client gave it. */
  output_format?: Record<string, unknown>;
  stream?: boolean;
}

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The cache writes by lifetime (cache_creation_input_tokens is their sum). */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
  [extra: string]: unknown;
}

/** A response content block; only the types the adapter maps are spelled out. */
export type AnthropicResponseBlock =
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | { type: string; [extra: string]: unknown };

export interface AnthropicResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

export interface AnthropicErrorObject { type: string; message: string; details?: Record<string, unknown> }
export interface AnthropicErrorBody { type: 'error'; error: AnthropicErrorObject; request_id?: string }

export type AnthropicContentDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'citations_delta'; citation: unknown };

/** One decoded `data:` payload of the Messages event stream. */
export type AnthropicStreamEvent =
  | { type: 'message_start'; message: AnthropicResponse }
  | { type: 'content_block_start'; index: number; content_block: AnthropicResponseBlock }
  | { type: 'content_block_delta'; index: number; delta: AnthropicContentDelta }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: { stop_reason: AnthropicStopReason | null; stop_sequence?: string | null }; usage?: AnthropicUsage }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: AnthropicErrorObject };

/** The error type Anthropic documents for each HTTP status (errors.md). */
export const anthropicErrorTypeByStatus: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};
