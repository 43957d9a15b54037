/**
 * What a Bedrock model takes through Converse, read from its id (a model id, an inference profile
 * such as `us.anthropic.claude-…`, or an ARN naming one). Converse refuses a request using a
 * feature the model lacks with a 400, so the request is shaped to fit. An id that names no known
 * family (an application inference profile ARN) gets the choices that work on every model.
 * Sources: AWS's "Supported models and model features" table (Converse), ToolChoice and
 * ToolResultBlock in the Bedrock API reference.
 */

/** Anthropic's Claude on Bedrock: a model id, inference profile or ARN naming anthropic.claude. */
export function isClaude(model: string): boolean {
  return /anthropic\.claude/i.test(model);
}

/** Claude 2.x and Claude Instant: no tool use at all on Converse. */
function isClaudeBeforeThree(model: string): boolean {
  return /anthropic\.claude-(v\d|instant|2)/i.test(model);
}

function isNova(model: string): boolean {
  return /amazon\.nova/i.test(model);
}

/**
 * True for models that take `toolChoice.tool` and `toolChoice.any` (a forced tool): Claude 3 and
 * later, and Amazon Nova. Others refuse `tool` ("This model doesn't support the
 * toolConfig.toolChoice.tool field"), and `any` too except Mistral Large.
 */
export function takesForcedToolChoice(model: string): boolean {
  return (isClaude(model) && !isClaudeBeforeThree(model)) || isNova(model);
}

/** True for models that read a toolResult's `status` (success / error): Claude 3 and later, and Amazon Nova. */
export function takesToolResultStatus(model: string): boolean {
  return takesForcedToolChoice(model);
}

/**
 * Models Converse sends no system prompt to ("This model doesn't support system messages"): Amazon
 * Titan Text, Mistral 7B Instruct and Mixtral 8x7B Instruct, Cohere Command (Light) and AI21
 * Jurassic-2. Their system text goes into the first user turn instead.
 */
const withoutSystemPrompts = /amazon\.titan-text|mistral\.mistral-7b-instruct|mistral\.mixtral-8x7b-instruct|cohere\.command-(light-)?text|ai21\.j2/i;

/** True unless the model is one that refuses Converse's `system` field. */
export function takesSystemPrompts(model: string): boolean {
  return !withoutSystemPrompts.test(model);
}
