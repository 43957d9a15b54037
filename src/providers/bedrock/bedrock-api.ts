/**
 * The Bedrock Runtime Converse API wire shapes the adapter reads and writes
 * (POST /model/{modelId}/converse and /converse-stream). Plain types, no runtime validation: the
 * converters check what they rely on, and unknown blocks or events are skipped so new API
 * features do not break old gateways.
 */

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface BedrockTextBlock { text: string }
export interface BedrockImageBlock { image: { format: BedrockImageFormat; source: { bytes: string } } }
export type BedrockDocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';
export interface BedrockDocumentBlock { document: { format: BedrockDocumentFormat; name: string; source: { bytes: string } } }
/**
 * Marks the end of a prompt prefix to cache (Claude and Nova models); follows the block it closes.
 * `ttl` (CachePointBlock: `5m | 1h`, optional) asks for a longer-lived entry; without it the model's default (5 minutes).
 */
export interface BedrockCachePointBlock { cachePoint: { type: 'default'; ttl?: '1h' } }
export interface BedrockToolUseBlock { toolUse: { toolUseId: string; name: string; input: unknown } }
export interface BedrockToolResultBlock {
  toolResult: { toolUseId: string; content: Array<BedrockTextBlock | BedrockImageBlock | BedrockDocumentBlock>; status?: 'success' | 'error' };
}
export interface BedrockReasoningBlock {
  reasoningContent: { reasoningText?: { text: string; signature?: string }; redactedContent?: string };
}

export type BedrockContentBlock =
  | BedrockTextBlock
  | BedrockImageBlock
  | BedrockDocumentBlock
  | BedrockToolUseBlock
  | BedrockToolResultBlock
  | BedrockReasoningBlock
  | BedrockCachePointBlock;

export type BedrockSystemBlock = BedrockTextBlock | BedrockCachePointBlock;

export interface BedrockMessage { role: 'user' | 'assistant'; content: BedrockContentBlock[] }

export interface BedrockToolSpec { toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } }

export type BedrockToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface BedrockToolConfig { tools: Array<BedrockToolSpec | BedrockCachePointBlock>; toolChoice?: BedrockToolChoice }

export interface BedrockInferenceConfig { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] }

export interface BedrockGuardrailConfig { guardrailIdentifier: string; guardrailVersion: string; trace?: 'enabled' | 'disabled' }

export interface BedrockConverseRequest {
  messages: BedrockMessage[];
  system?: BedrockSystemBlock[];
  inferenceConfig?: BedrockInferenceConfig;
  toolConfig?: BedrockToolConfig;
  guardrailConfig?: BedrockGuardrailConfig;
  /** Model-specific fields Converse passes through (Claude's `thinking`, `top_k`). */
  additionalModelRequestFields?: Record<string, unknown>;
  /** JSON Pointers to fields of the model's own response to return in `additionalModelResponseFields` (Claude's `/stop_sequence`). */
  additionalModelResponseFieldPaths?: string[];
}

/** The fields asked for with additionalModelResponseFieldPaths, as the model named them. */
export interface BedrockAdditionalResponseFields { stop_sequence?: string | null; [field: string]: unknown }

export type BedrockStopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'malformed_model_output'
  | 'malformed_tool_use'
  | 'model_context_window_exceeded';

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  /** The cache writes by lifetime (`ttl` 5m or 1h), for models that offer both. */
  cacheDetails?: Array<{ ttl?: string; inputTokens?: number }>;
}

/** A response content block; only the kinds the adapter maps are spelled out. */
export type BedrockResponseBlock = Partial<BedrockTextBlock & BedrockToolUseBlock & BedrockReasoningBlock> & { [kind: string]: unknown };

export interface BedrockConverseResponse {
  output?: { message?: { role: 'assistant'; content?: BedrockResponseBlock[] } };
  stopReason?: BedrockStopReason | string;
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
  additionalModelResponseFields?: BedrockAdditionalResponseFields;
}

/** The payload of each `:event-type` of a ConverseStream event stream. */
export interface BedrockStreamEvents {
  messageStart: { role: 'assistant' };
  contentBlockStart: { contentBlockIndex: number; start?: { toolUse?: { toolUseId: string; name: string } } };
  contentBlockDelta: {
    contentBlockIndex: number;
    delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: { text?: string; signature?: string; redactedContent?: string } };
  };
  contentBlockStop: { contentBlockIndex: number };
  messageStop: { stopReason?: BedrockStopReason | string; additionalModelResponseFields?: BedrockAdditionalResponseFields };
  metadata: { usage?: BedrockUsage; metrics?: { latencyMs?: number } };
}

/** The body of an error response and of an exception event: `{"message": ...}` (some services spell it `Message`). */
export interface BedrockErrorBody { message?: string; Message?: string; originalStatusCode?: number; originalMessage?: string }
