import type { ChatRequest } from './chat.ts';

/**
 * What an Anthropic Messages request carries that the canonical model has no form for, kept as
 * the client sent it for the anthropic adapter (Anthropic's API, Claude on Vertex AI): when a
 * plugin changes the body, the request leaves the byte passthrough and is re-encoded from the
 * canonical model, and without these Claude would silently lose its server tools (web search,
 * code execution…), MCP servers, container and the like. Translated providers never read them
 * (a symbol key: never serialized, never sent to another format).
 */
export interface AnthropicOnlyFields {
  /** The client's server tools (any `tools` entry with a type other than `custom`), each with its index in the client's `tools`. */
  serverTools: Array<{ index: number; tool: Record<string, unknown> }>;
  /** The client's `tool_choice` when it declared no client tools (the canonical request keeps a choice only beside its tools, or a forced one). */
  toolChoice?: Record<string, unknown>;
  /** The client's `stop_sequences` when the canonical request cut them (OpenAI takes four). */
  stopSequences?: string[];
  /**
   * The client's `output_config` when it holds a structured-output `format` (effort and newer
   * fields beside it), as sent: Claude decodes within the schema itself, where the canonical
   * `response_format` would make the adapter force a JSON tool. The adapter takes the schema from
   * the canonical `response_format` (a guardrail may have rewritten its texts).
   */
  outputConfig?: Record<string, unknown>;
  /** The structured-outputs beta's top-level `output_format`, as sent, when there is no `output_config.format`. */
  outputFormat?: Record<string, unknown>;
  /** Top-level fields the canonical model lacks (mcp_servers, container, context_management, service_tier, fields newer than the gateway…), as sent. */
  fields: Record<string, unknown>;
}

export const anthropicOnlyFields: unique symbol = Symbol('tollgate.anthropic-only-fields');

/** A canonical request's Anthropic-only fields; undefined for every request but a Messages one that has some. */
export function anthropicOnlyFieldsOf(request: ChatRequest): AnthropicOnlyFields | undefined {
  return (request as ChatRequest & { [anthropicOnlyFields]?: AnthropicOnlyFields })[anthropicOnlyFields];
}

/** Attaches Anthropic-only fields to a canonical request (a symbol key: JSON.stringify never writes it). */
export function setAnthropicOnlyFields(request: ChatRequest, fields: AnthropicOnlyFields): void {
  (request as ChatRequest & { [anthropicOnlyFields]?: AnthropicOnlyFields })[anthropicOnlyFields] = fields;
}
