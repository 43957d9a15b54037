/**
 * What Mistral's Chat Completions API takes and answers where it differs from OpenAI's. Sources:
 * docs.mistral.ai/api (endpoint/chat) and the models its official SDKs are generated from
 * (mistralai/client-python `ChatCompletionRequest`, `AssistantMessage`, `ToolMessage`, `ToolCall`,
 * `ThinkChunk`, `ChatCompletionChoice`). Mistral validates with closed schemas: any field outside
 * them is answered with 422 `extra_forbidden`.
 */

/**
 * The fields each message role takes. OpenAI's SDK puts more into the assistant messages it
 * returns (`refusal`, `annotations`, `audio`, `parsed`, ...), and applications push those back into
 * the history; the rest is left out so such a history reaches Mistral.
 */
export const mistralMessageFields: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'prefix']),
  tool: new Set(['role', 'content', 'tool_call_id', 'name']),
};

/** The fields of an assistant message's tool call (`index` is Mistral's own) and of its function. */
export const mistralToolCallFields: ReadonlySet<string> = new Set(['id', 'type', 'function', 'index']);
export const mistralFunctionCallFields: ReadonlySet<string> = new Set(['name', 'arguments']);

/**
 * OpenAI chat parameters Mistral has nothing for and rejects: left out with the gateway's warning,
 * or refused (400 unsupported_parameter) under `strict_params`. Mistral does take `metadata`,
 * `prediction`, `parallel_tool_calls`, `n`, `prompt_cache_key` and `reasoning_effort`, which pass.
 */
export const mistralDroppedParameters: ReadonlySet<string> = new Set([
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'service_tier',
  'store',
  'user',
  'safety_identifier',
  'verbosity',
  'audio',
  'web_search_options',
  'prompt_cache_retention',
  'functions',
  'function_call',
]);

/**
 * Left out with no warning: `stream_options` (the gateway adds it for accounting; Mistral reports
 * usage in its last chunk anyway) and `modalities` (text is all Mistral writes; a request for
 * audio also sets `audio`, which is warned about).
 */
export const mistralUnsentParameters: readonly string[] = ['stream_options', 'modalities'];

/** OpenAI's name -> Mistral's (an explicit Mistral field in the same request wins). */
export const mistralRenamedParameters: Readonly<Record<string, string>> = { max_completion_tokens: 'max_tokens', seed: 'random_seed' };

/**
 * Mistral's `reasoning_effort` has two documented values (docs.mistral.ai/capabilities/reasoning):
 * `high` (the answer carries a thinking chunk) and `none` (the model thinks minimally, no thinking
 * chunk). OpenAI's levels map onto that switch: `none` and `minimal` to `none`, any level that asks
 * for reasoning to `high`. Other values go as sent (Mistral's enum is open).
 */
export const mistralReasoningEffort: Readonly<Record<string, string>> = { none: 'none', minimal: 'none', low: 'high', medium: 'high', high: 'high', xhigh: 'high' };

/**
 * The text of the assistant turn put between tool results and a user (or system) message: Mistral
 * takes only an assistant message or more tool results after a tool message (400 "Unexpected role
 * 'user' after role 'tool'"), and an assistant message needs non-empty text. It says only what
 * happened, so the model still answers the tool results and the user's message together.
 */
export const mistralToolResultsBridge = 'Tool results received.';
