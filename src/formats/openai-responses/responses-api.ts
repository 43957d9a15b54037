/**
 * The OpenAI Responses API (POST /v1/responses) as far as the gateway maps it: the request as
 * clients send it, and the Response object and stream events the gateway writes. Checked
 * against the official `openai` SDK's types (resources/responses/responses.d.ts) in the tests,
 * which assign these shapes to the SDK's.
 */

/** Content of a user, system or developer message (and of a function call's output). */
export type ResponsesInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url?: string | null; file_id?: string | null; detail?: 'auto' | 'low' | 'high' | 'original' | null }
  | { type: 'input_file'; file_data?: string | null; file_id?: string | null; file_url?: string | null; filename?: string | null };

/** Content of an assistant message sent back as history (what an earlier Response's message held). */
export type ResponsesAssistantContent = { type: 'output_text'; text: string; annotations?: unknown[]; logprobs?: unknown[] } | { type: 'refusal'; refusal: string } | { type: 'input_text'; text: string };

export interface ResponsesMessageItem {
  type?: 'message';
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: string | Array<ResponsesInputContent | ResponsesAssistantContent>;
  id?: string;
  status?: string;
}

export interface ResponsesFunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  arguments: string;
  id?: string;
  status?: string;
}

export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  output: string | ResponsesInputContent[];
  id?: string | null;
  status?: string | null;
}

/**
 * Reasoning from an earlier answer, sent back as history. One the gateway wrote with a signed
 * thinking block or redacted thinking carries it in `encrypted_content` and goes back with the
 * turn; others are left out (see README).
 */
export interface ResponsesReasoningInputItem {
  type: 'reasoning';
  id?: string;
  summary?: unknown[];
  content?: unknown[];
  encrypted_content?: string | null;
}

export type ResponsesInputItem = ResponsesMessageItem | ResponsesFunctionCallItem | ResponsesFunctionCallOutputItem | ResponsesReasoningInputItem;

/** A function tool in the Responses API's flat shape (chat completions nests it under `function`). */
export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

export type ResponsesToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; name: string }
  | { type: 'allowed_tools'; mode: 'auto' | 'required'; tools: Array<{ type: 'function'; name: string }> };

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean | null; description?: string };

export type ResponsesReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface ResponsesReasoningConfig {
  effort?: ResponsesReasoningEffort | null;
  summary?: 'auto' | 'concise' | 'detailed' | null;
  generate_summary?: 'auto' | 'concise' | 'detailed' | null;
}

export type ResponsesVerbosity = 'low' | 'medium' | 'high';

/** A Responses request as clients send it, after parse-responses-request.ts checked it. */
export interface ResponsesClientRequest {
  model: string;
  input: string | ResponsesInputItem[];
  instructions?: string | null;
  tools?: ResponsesFunctionTool[] | null;
  tool_choice?: ResponsesToolChoice | null;
  parallel_tool_calls?: boolean | null;
  temperature?: number | null;
  top_p?: number | null;
  max_output_tokens?: number | null;
  max_tool_calls?: number | null;
  text?: { format?: ResponsesTextFormat | null; verbosity?: ResponsesVerbosity | null } | null;
  reasoning?: ResponsesReasoningConfig | null;
  include?: string[] | null;
  top_logprobs?: number | null;
  user?: string | null;
  safety_identifier?: string | null;
  metadata?: Record<string, string> | null;
  stream?: boolean | null;
  store?: boolean | null;
  truncation?: 'auto' | 'disabled' | null;
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | null;
  prompt_cache_key?: string | null;
  prompt_cache_retention?: 'in_memory' | '24h' | null;
}

export type ResponsesItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** A token's log probability, as chat completions reports it and output_text carries it. */
export interface ResponsesLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] }>;
}

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs: ResponsesLogprob[];
}

export interface ResponsesOutputRefusal {
  type: 'refusal';
  refusal: string;
}

export interface ResponsesOutputMessage {
  type: 'message';
  id: string;
  status: ResponsesItemStatus;
  role: 'assistant';
  content: Array<ResponsesOutputText | ResponsesOutputRefusal>;
}

export interface ResponsesOutputFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ResponsesItemStatus;
}

export interface ResponsesReasoningText {
  type: 'reasoning_text';
  text: string;
}

/**
 * The model's reasoning (canonical reasoning_content) as a reasoning item's `content`; no summary
 * is made. A signed thinking block also carries its text and signature in `encrypted_content`
 * (responses-reasoning-state.ts), and so does redacted thinking (its data), so a stateless client
 * can send it back.
 */
export interface ResponsesOutputReasoning {
  type: 'reasoning';
  id: string;
  summary: [];
  content: ResponsesReasoningText[];
  encrypted_content?: string;
  status: ResponsesItemStatus;
}

export type ResponsesOutputItem = ResponsesOutputMessage | ResponsesOutputFunctionCall | ResponsesOutputReasoning;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
  /** The gateway's mark on an estimate (the provider reported no usage). */
  estimated?: true;
}

export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The failure a `response.failed` event carries (the SDK types `code` as one of a fixed list). */
export interface ResponsesError {
  code: 'server_error' | 'rate_limit_exceeded';
  message: string;
}

/**
 * The request fields a Response repeats back, as the client set them (or the API's defaults).
 * Made once per request from the checked request (responses-echo.ts).
 */
export interface ResponsesEcho {
  instructions: string | null;
  max_output_tokens: number | null;
  /** The client's limit on hosted tool calls (the gateway has none to run; repeated as OpenAI repeats it). */
  max_tool_calls: number | null;
  parallel_tool_calls: boolean;
  reasoning: { effort: ResponsesReasoningEffort | null; summary: 'auto' | 'concise' | 'detailed' | null };
  safety_identifier: string | null;
  service_tier: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | null;
  /** Always false: the gateway stores nothing, whatever the client asked. */
  store: false;
  temperature: number | null;
  text: { format: ResponsesTextFormat; verbosity?: ResponsesVerbosity };
  tool_choice: ResponsesToolChoice;
  tools: Array<{ type: 'function'; name: string; description?: string | null; parameters: Record<string, unknown> | null; strict: boolean | null }>;
  top_logprobs: number | null;
  top_p: number | null;
  truncation: 'auto' | 'disabled';
  user?: string;
  metadata: Record<string, string>;
}

/** A Response object as the gateway writes it (the SDK adds `output_text` itself). */
export interface ResponsesResponse extends ResponsesEcho {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  background: false;
  error: ResponsesError | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  model: string;
  output: ResponsesOutputItem[];
  previous_response_id: null;
  /** Null until a stream's usage is known. */
  usage: ResponsesUsage | null;
}
