import type { AnthropicRequestBlock, AnthropicTextBlock, AnthropicToolChoice } from '../../providers/anthropic/anthropic-api.ts';

/**
 * A Messages API request as clients send it (POST /v1/messages). Looser than the provider
 * adapter's AnthropicRequest, which is what the gateway writes: clients may send `system` and
 * `content` as strings, server tools without an input_schema, and fields added after this was
 * written (kept, so a passthrough never loses them).
 */
export interface AnthropicClientMessage {
  /** `system`: a mid-conversation system message (text blocks only). */
  role: 'user' | 'assistant' | 'system';
  content: string | AnthropicClientBlock[];
}

/** A content block: the ones the gateway maps, or any other type (kept for passthrough). */
export type AnthropicClientBlock = AnthropicRequestBlock | { type: string; [field: string]: unknown };

export interface AnthropicClientTool {
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  /** Absent or 'custom' for client tools; server tools (web_search_…, bash_…) name their version. */
  type?: string;
  cache_control?: unknown;
  [field: string]: unknown;
}

export type AnthropicClientThinking = { type: 'enabled'; budget_tokens: number } | { type: 'adaptive' } | { type: 'disabled' } | { type: string; [field: string]: unknown };

/** Structured output: `{type: 'json_schema', schema}` (the only type the API has so far). */
export interface AnthropicClientOutputFormat {
  type: string;
  schema?: Record<string, unknown>;
  [field: string]: unknown;
}

/** `output_config`: effort (how much adaptive thinking and care) and structured-output format. */
export interface AnthropicClientOutputConfig {
  effort?: string | null;
  format?: AnthropicClientOutputFormat | null;
  [field: string]: unknown;
}

export interface AnthropicClientRequest {
  model: string;
  messages: AnthropicClientMessage[];
  /** Required by /v1/messages; count_tokens takes none. */
  max_tokens?: number;
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicClientTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id?: string | null; [field: string]: unknown };
  thinking?: AnthropicClientThinking;
  output_config?: AnthropicClientOutputConfig | null;
  /** The structured-outputs beta's name for `output_config.format`, still accepted by the API. */
  output_format?: AnthropicClientOutputFormat | null;
  stream?: boolean;
  [field: string]: unknown;
}
