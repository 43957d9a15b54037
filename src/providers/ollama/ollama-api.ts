/**
 * Wire types of Ollama's native API (/api/chat, /api/generate, /api/embed), only the fields the
 * adapter reads or writes. Field names are Ollama's JSON (snake_case) names.
 */

/** A tool call as Ollama writes it: arguments are a JSON object, not a string; `id` only on newer servers. */
export interface OllamaToolCall {
  id?: string;
  type?: 'function';
  function: { index?: number; name: string; arguments?: Record<string, unknown> | string };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 image data, without a `data:` prefix. */
  images?: string[];
  /** The model's reasoning (thinking models). */
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** On a `tool` message: the function whose result this is. */
  tool_name?: string;
}

export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** Model parameters Ollama takes in `options` (the Modelfile PARAMETER names). */
export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  seed?: number;
  stop?: string[];
  num_predict?: number;
  num_ctx?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  /** Always set: Ollama streams when it is missing. */
  stream: boolean;
  tools?: OllamaTool[];
  /** `json`, or a JSON schema the answer must match. */
  format?: 'json' | Record<string, unknown>;
  options?: OllamaOptions;
  /** Thinking on/off, or a named level (`low`/`medium`/`high`, GPT-OSS). */
  think?: boolean | 'low' | 'medium' | 'high';
  keep_alive?: string | number;
}

/**
 * One object of /api/chat: the whole answer (`stream: false`) or one NDJSON line of a stream.
 * The last line has `done: true`, `done_reason` and the counts.
 */
export interface OllamaChatResponse {
  model?: string;
  created_at?: string;
  message?: Partial<OllamaMessage>;
  done?: boolean;
  /** `stop`, `length`, and `load` / `unload` for calls that only (un)load a model. */
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
  /** An error reported inside a stream (after the 200). */
  error?: string;
}

/**
 * POST /api/generate: one prompt, completed. Without `raw`, Ollama puts the prompt (and `suffix`,
 * for fill-in-the-middle models) into the model's template, as its own /v1/completions does.
 */
export interface OllamaGenerateRequest {
  model: string;
  prompt: string;
  /** Always set: Ollama streams when it is missing. */
  stream: boolean;
  /** The text after the completion (fill-in-the-middle code models). */
  suffix?: string;
  options?: OllamaOptions;
  keep_alive?: string | number;
}

/**
 * One object of /api/generate: the whole answer (`stream: false`) or one NDJSON line of a stream
 * (`response` holding the new text). The last line has `done: true`, `done_reason` and the counts.
 */
export interface OllamaGenerateResponse {
  model?: string;
  response?: string;
  /** A thinking model's reasoning, apart from `response` (a text completion has no place for it). */
  thinking?: string;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  /** An error reported inside a stream (after the 200). */
  error?: string;
}

export interface OllamaEmbedRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  keep_alive?: string | number;
}

export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: number[][];
  prompt_eval_count?: number;
}

/** Ollama's error body: `{"error": "..."}` with the HTTP status. */
export interface OllamaErrorBody {
  error?: string | { message?: string };
}
