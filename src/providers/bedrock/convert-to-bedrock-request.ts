import type { ChatRequest, FunctionTool, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { claudeRejectsSampling } from '../claude-model-family.ts';
import { claudeThinkingFor } from '../claude-thinking-budgets.ts';
import { jsonModeTool } from '../json-mode-tool.ts';
import type { BedrockConverseRequest, BedrockInferenceConfig, BedrockToolChoice, BedrockToolConfig, BedrockToolSpec } from './bedrock-api.ts';
import { cachePoint, convertToBedrockMessages, hasCacheHint } from './convert-to-bedrock-messages.ts';
import { maxOutputTokens, stopSequences } from '../output-limits.ts';

/** With thinking on and no limit asked for, the answer gets this much beside the budget (what the Anthropic adapter gives). */
const answerTokensBesideThinking = 4096;

export interface BedrockRequestPlan {
  body: BedrockConverseRequest;
  /** The forced tool standing in for response_format JSON mode; its input is the answer text. */
  jsonToolName: string | null;
  /** Parameters the request set that this model cannot honour and the body leaves out (sampling on Claude Opus 4.7 and later): the caller warns, or refuses under strict_params. */
  unhonoured: string[];
}

function convertTool(tool: FunctionTool, index: number): BedrockToolSpec {
  if (tool?.type !== 'function' || typeof tool.function?.name !== 'string') {
    throw errors.invalidRequest("Only tools of type 'function' with a name are supported by provider 'bedrock'.", `tools[${index}]`);
  }
  const spec: BedrockToolSpec['toolSpec'] = { name: tool.function.name, inputSchema: { json: tool.function.parameters ?? { type: 'object', properties: {} } } };
  if (tool.function.description) spec.description = tool.function.description;
  return { toolSpec: spec };
}

/** OpenAI's tool_choice in Converse terms; `none` has no Converse counterpart and is null. */
function convertToolChoice(choice: ToolChoice | undefined): BedrockToolChoice | null | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'none') return null;
  if (choice === 'required') return { any: {} };
  if (typeof choice === 'object' && typeof choice.function?.name === 'string') return { tool: { name: choice.function.name } };
  throw errors.invalidField('tool_choice', "'auto', 'none', 'required' or {type:'function', function:{name}}");
}

/**
 * JSON mode as a forced tool (jsonModeTool; Converse has no response format of its own), added
 * to the tools with the toolChoice that makes the model call it.
 */
function addJsonTool(request: ChatRequest, tools: BedrockToolSpec[], choice: BedrockToolChoice | undefined): { name: string | null; choice: BedrockToolChoice | undefined } {
  const jsonTool = jsonModeTool(request.response_format, tools.map((tool) => tool.toolSpec.name));
  if (jsonTool === null) return { name: null, choice };
  const clientHasTools = tools.length > 0;
  const { name, description, schema } = jsonTool;
  tools.push({ toolSpec: { name, description, inputSchema: { json: schema } } });
  if (!clientHasTools) return { name, choice: { tool: { name } } };
  // With the client's own tools the answer is a real tool call or the JSON answer, never free text.
  if (choice === undefined || 'auto' in choice) return { name, choice: { any: {} } };
  return { name, choice };
}

/**
 * The toolConfig to send. Converse rejects a conversation holding toolUse/toolResult blocks
 * unless toolConfig declares the tools they name, so tools the history calls are added when
 * missing: the client's own definition when it sent one, else an open object schema. With
 * tool_choice 'none' (Converse cannot forbid calls) only those history tools are declared, with
 * no toolChoice: the model is not offered the client's other tools.
 */
function toolConfigOf(request: ChatRequest, toolNamesInHistory: Set<string>): { config: BedrockToolConfig | undefined; jsonToolName: string | null } {
  const choice = convertToolChoice(request.tool_choice);
  const clientTools = (request.tools ?? []).map(convertTool);
  const offered = choice === null ? [] : [...clientTools];
  const json = addJsonTool(request, offered, offered.length > 0 && choice !== null ? choice : undefined);
  for (const name of toolNamesInHistory) {
    if (offered.some((tool) => tool.toolSpec.name === name)) continue;
    const fromClient = clientTools.find((tool) => tool.toolSpec.name === name);
    offered.push(fromClient ?? { toolSpec: { name, description: `The tool '${name}' called earlier in this conversation.`, inputSchema: { json: { type: 'object' } } } });
  }
  if (offered.length === 0) return { config: undefined, jsonToolName: null };
  const config: BedrockToolConfig = { tools: withCachePoints(offered, request) };
  if (json.choice) config.toolChoice = json.choice;
  return { config, jsonToolName: json.name };
}

/** A client tool with a cache hint (`cache_control`, from Anthropic-format clients) is followed by a cachePoint: the tool list up to it is cached. */
function withCachePoints(tools: BedrockToolSpec[], request: ChatRequest): BedrockToolConfig['tools'] {
  const hinted = new Set((request.tools ?? []).filter(hasCacheHint).map((tool) => tool.function?.name));
  if (hinted.size === 0) return tools;
  return tools.flatMap((tool) => (hinted.has(tool.toolSpec.name) ? [tool, cachePoint] : [tool]));
}

/** `sampling: false` leaves temperature and top_p out (Claude with thinking on, or a Claude that refuses them). */
function inferenceConfigOf(request: ChatRequest, sampling: boolean): BedrockInferenceConfig | undefined {
  const config: BedrockInferenceConfig = {};
  const maxTokens = maxOutputTokens(request);
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  // Claude with thinking on accepts neither a temperature nor a top_p other than its defaults.
  // OpenAI's temperature runs 0..2; the models on Bedrock take 0..1, so higher values are clamped, not refused.
  if (sampling && typeof request.temperature === 'number') config.temperature = Math.min(Math.max(request.temperature, 0), 1);
  if (sampling && typeof request.top_p === 'number') config.topP = request.top_p;
  const stops = stopSequences(request.stop);
  if (stops) config.stopSequences = stops;
  return Object.keys(config).length > 0 ? config : undefined;
}

/** Anthropic's Claude on Bedrock: a model id, inference profile or ARN naming anthropic.claude. */
function isClaude(model: string): boolean {
  return /anthropic\.claude/.test(model);
}

/** Claude's thinking as Converse passes it to the model (additionalModelRequestFields), and the tokens it needs beside the answer. */
interface BedrockClaudeThinking {
  fields: Record<string, unknown>;
  /** The budget (enabled thinking) or the room left for adaptive thinking when the client named no limit. */
  tokens: number;
  adaptive: boolean;
}

/**
 * reasoning_effort as Claude's thinking (additionalModelRequestFields, which Converse passes to
 * the model as is): adaptive thinking with `output_config.effort` on Opus 4.6 / Sonnet 4.6 and
 * later, a budget on older models (claudeThinkingFor, shared with the anthropic adapter). Other
 * model families name reasoning differently, or not at all, so for them it is left out. A forced
 * tool (JSON mode, tool_choice required/named) cannot be combined with thinking: the tool choice wins.
 */
function claudeThinkingOf(request: ChatRequest, model: string, toolConfig: BedrockToolConfig | undefined): BedrockClaudeThinking | undefined {
  if (!isClaude(model)) return undefined;
  const choice = toolConfig?.toolChoice;
  if (choice && ('any' in choice || 'tool' in choice)) return undefined;
  const thinking = claudeThinkingFor(model, request.reasoning_effort);
  if (thinking?.type === 'adaptive') return { fields: { thinking: { type: 'adaptive' }, output_config: { effort: thinking.effort } }, tokens: thinking.room, adaptive: true };
  if (thinking?.type === 'enabled') return { fields: { thinking: { type: 'enabled', budget_tokens: thinking.budgetTokens } }, tokens: thinking.budgetTokens, adaptive: false };
  return undefined;
}

/**
 * Maps a canonical (OpenAI chat) request to a Converse body. Parameters Converse lacks (seed,
 * penalties, logprobs, logit_bias, parallel_tool_calls) are the provider's droppedParameters;
 * `n` above 1 cannot be honoured and is refused rather than silently answered once.
 */
export function convertToBedrockRequest(request: ChatRequest, model: string): BedrockRequestPlan {
  if (typeof request.n === 'number' && request.n > 1) {
    throw errors.invalidRequest("Provider 'bedrock' returns one choice per request; 'n' must be 1.", 'n');
  }
  const { system, messages, toolNamesInHistory } = convertToBedrockMessages(request.messages);
  const body: BedrockConverseRequest = { messages };
  if (system.length > 0) body.system = system;
  const tools = toolConfigOf(request, toolNamesInHistory);
  if (tools.config) body.toolConfig = tools.config;
  const thinking = claudeThinkingOf(request, model, tools.config);
  // Claude Opus 4.7 and later refuse temperature, top_p and top_k at any value: left out, and named for the warning.
  const refusesSampling = isClaude(model) && claudeRejectsSampling(model);
  const unhonoured = refusesSampling ? (['temperature', 'top_p', 'top_k'] as const).filter((name) => typeof request[name] === 'number') : [];
  const inferenceConfig = inferenceConfigOf(request, thinking === undefined && !refusesSampling);
  // Claude's top_k has no Converse field; Claude reads it from the model fields (not with thinking).
  if (!thinking && !refusesSampling && typeof request.top_k === 'number' && isClaude(model)) body.additionalModelRequestFields = { top_k: request.top_k };
  if (thinking) {
    body.additionalModelRequestFields = thinking.fields;
    // Claude needs maxTokens above a thinking budget: room for the answer on top of it. Adaptive
    // thinking has no budget: a client's limit stands, and without one there is room to think.
    const asked = inferenceConfig?.maxTokens;
    const maxTokens = asked === undefined ? thinking.tokens + answerTokensBesideThinking : asked <= thinking.tokens && !thinking.adaptive ? thinking.tokens + asked : asked;
    body.inferenceConfig = { ...inferenceConfig, maxTokens };
  } else if (inferenceConfig) body.inferenceConfig = inferenceConfig;
  return { body, jsonToolName: tools.jsonToolName, unhonoured };
}
