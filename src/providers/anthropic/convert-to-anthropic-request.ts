import type { ChatRequest, FunctionTool, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { claudeThinkingBudgets } from '../claude-thinking-budgets.ts';
import { jsonModeTool } from '../json-mode-tool.ts';
import type { AnthropicRequest, AnthropicTool, AnthropicToolChoice } from './anthropic-api.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';
import { maxOutputTokens, stopSequences } from '../output-limits.ts';

/** Anthropic requires max_tokens; this is what a request that names no limit gets. */
export const defaultMaxTokens = 4096;

/** Anthropic's smallest thinking budget. */
const minimumThinkingBudget = 1024;

export interface AnthropicRequestPlan {
  body: AnthropicRequest;
  /** The forced tool standing in for response_format JSON mode; its input is the answer text. */
  jsonToolName: string | null;
}

function convertTool(tool: FunctionTool, index: number): AnthropicTool {
  if (tool?.type !== 'function' || typeof tool.function?.name !== 'string') {
    throw errors.invalidRequest("Only tools of type 'function' with a name are supported by provider 'anthropic'.", `tools[${index}]`);
  }
  const converted: AnthropicTool = { name: tool.function.name, input_schema: tool.function.parameters ?? { type: 'object', properties: {} } };
  if (tool.function.description !== undefined) converted.description = tool.function.description;
  const cacheControl = (tool as { cache_control?: unknown }).cache_control;
  if (cacheControl && typeof cacheControl === 'object') converted.cache_control = cacheControl as AnthropicTool['cache_control'];
  return converted;
}

function convertToolChoice(choice: ToolChoice | undefined): AnthropicToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  if (typeof choice === 'object' && typeof choice.function?.name === 'string') return { type: 'tool', name: choice.function.name };
  throw errors.invalidRequest("'tool_choice' must be 'auto', 'none', 'required' or a named function.", 'tool_choice');
}

/**
 * JSON mode as a forced tool (jsonModeTool; what production gateways do, and it works on every
 * Claude model), added to the tools with the tool_choice that makes Claude call it.
 */
function addJsonTool(request: ChatRequest, tools: AnthropicTool[], choice: AnthropicToolChoice | undefined): { name: string | null; choice: AnthropicToolChoice | undefined } {
  const jsonTool = jsonModeTool(request.response_format, tools.map((tool) => tool.name));
  if (jsonTool === null) return { name: null, choice };
  const clientHasTools = tools.length > 0;
  const { name, description, schema } = jsonTool;
  tools.push({ name, description, input_schema: schema });
  if (!clientHasTools) return { name, choice: { type: 'tool', name } };
  // With the client's own tools the answer is a real tool call or the JSON answer, never free text.
  if (choice === undefined || choice.type === 'auto' || choice.type === 'any') return { name, choice: { type: 'any' } };
  return { name, choice };
}

/**
 * Maps a canonical (OpenAI chat) request to a Messages API body. Parameters Anthropic lacks
 * (seed, penalties, logprobs, logit_bias, response metadata) are dropped; `n` above 1 cannot be
 * honoured and is refused rather than silently answered once.
 */
export function convertToAnthropicRequest(request: ChatRequest, model: string, stream: boolean): AnthropicRequestPlan {
  if (typeof request.n === 'number' && request.n > 1) {
    throw errors.invalidRequest("Provider 'anthropic' returns one choice per request; 'n' must be 1.", 'n');
  }
  const { system, messages } = convertToAnthropicMessages(request.messages);
  const clientMaxTokens = maxOutputTokens(request);
  const body: AnthropicRequest = { model, messages, max_tokens: clientMaxTokens ?? defaultMaxTokens };
  if (system.length > 0) body.system = system;

  const tools = (request.tools ?? []).map(convertTool);
  let choice = tools.length > 0 ? convertToolChoice(request.tool_choice) : undefined;
  const json = addJsonTool(request, tools, choice);
  choice = json.choice;
  if (request.parallel_tool_calls === false && tools.length > 0) {
    choice ??= { type: 'auto' };
    if (choice.type !== 'none') choice.disable_parallel_tool_use = true;
  }
  if (tools.length > 0) body.tools = tools;
  if (choice) body.tool_choice = choice;

  // Extended thinking cannot be combined with a forced tool; the client's tool choice wins.
  const budget = claudeThinkingBudgets[request.reasoning_effort ?? ''];
  const forcedTool = choice?.type === 'any' || choice?.type === 'tool';
  let thinking = false;
  if (budget !== undefined && !forcedTool) {
    // OpenAI counts reasoning inside max_completion_tokens; thinking may use at most half of a client's limit.
    const allowed = clientMaxTokens === undefined ? budget : Math.min(budget, Math.floor(clientMaxTokens / 2));
    if (allowed >= minimumThinkingBudget) {
      body.thinking = { type: 'enabled', budget_tokens: allowed };
      if (clientMaxTokens === undefined) body.max_tokens = defaultMaxTokens + allowed;
      thinking = true;
    }
  }
  // With thinking on, Anthropic accepts neither temperature nor top_k, and top_p only near 1.
  if (!thinking) {
    // OpenAI's temperature runs 0..2, Anthropic's 0..1: higher values are clamped, not refused.
    if (typeof request.temperature === 'number') body.temperature = Math.min(Math.max(request.temperature, 0), 1);
    if (typeof request.top_p === 'number') body.top_p = request.top_p;
    if (typeof request.top_k === 'number') body.top_k = request.top_k;
  }
  const stops = stopSequences(request.stop);
  if (stops) body.stop_sequences = stops;
  if (typeof request.user === 'string' && request.user !== '') body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  return { body, jsonToolName: json.name };
}
