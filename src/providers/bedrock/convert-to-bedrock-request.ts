import type { ChatRequest, FunctionTool, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { claudeRefusesTemperatureWithTopP, claudeRejectsSampling } from '../claude-model-family.ts';
import { jsonModeTool } from '../json-mode-tool.ts';
import { providerOutputLimit, stopSequences } from '../output-limits.ts';
import type { BedrockCachePointBlock, BedrockConverseRequest, BedrockInferenceConfig, BedrockToolChoice, BedrockToolConfig, BedrockToolSpec } from './bedrock-api.ts';
import { bedrockClaudeThinking, lastToolTurnWithoutReasoning } from './bedrock-claude-thinking.ts';
import { jsonInstruction } from './bedrock-json-mode.ts';
import { cachesTools, isClaude, isNova, missingFeaturesOf, takesCachePoints, takesForcedToolChoice, takesSystemPrompts, takesToolResultStatus, type MissingFeatures } from './bedrock-model-features.ts';
import { bedrockModelReasoning } from './bedrock-model-reasoning.ts';
import { cachePointFor, convertToBedrockMessages } from './convert-to-bedrock-messages.ts';
import { fitConverseConversation } from './fit-converse-conversation.ts';

export interface BedrockRequestPlan {
  body: BedrockConverseRequest;
  /** The forced tool standing in for response_format JSON mode; its input is the answer text. */
  jsonToolName: string | null;
  /** JSON mode by instruction (models that cannot be made to call a tool): the answer's text is read back as JSON. */
  jsonText: boolean;
  /** The stop sequences sent: when only one was, a stop_sequence stop reason names it. */
  stopSequences: string[];
  /**
   * Parameters the request set that this model cannot honour and the body leaves out (sampling on
   * Claude Opus 4.7 and later and on Nova 2 Lite at high reasoning effort, whitespace-only stop
   * sequences on Claude, Claude's thinking when the last tool turn has none to go back, reasoning
   * and top_k on models that take none): the caller warns, or refuses under strict_params.
   */
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
 * no toolChoice: the model is not offered the client's other tools. `jsonAsTool`: JSON mode is a
 * forced tool (models that take toolChoice tool/any); otherwise the client's choice goes as asked.
 * `cacheTools`: the model caches tool definitions (Claude), so a tool's cache hint becomes a cachePoint.
 */
function toolConfigOf(request: ChatRequest, toolNamesInHistory: Set<string>, jsonAsTool: boolean, cacheTools: boolean): { config: BedrockToolConfig | undefined; jsonToolName: string | null } {
  const choice = convertToolChoice(request.tool_choice);
  const clientTools = (request.tools ?? []).map(convertTool);
  const offered = choice === null ? [] : [...clientTools];
  const clientChoice = offered.length > 0 && choice !== null ? choice : undefined;
  const json = jsonAsTool ? addJsonTool(request, offered, clientChoice) : { name: null, choice: clientChoice };
  for (const name of toolNamesInHistory) {
    if (offered.some((tool) => tool.toolSpec.name === name)) continue;
    const fromClient = clientTools.find((tool) => tool.toolSpec.name === name);
    offered.push(fromClient ?? { toolSpec: { name, description: `The tool '${name}' called earlier in this conversation.`, inputSchema: { json: { type: 'object' } } } });
  }
  if (offered.length === 0) return { config: undefined, jsonToolName: null };
  const config: BedrockToolConfig = { tools: cacheTools ? withCachePoints(offered, request) : offered };
  if (json.choice) config.toolChoice = json.choice;
  return { config, jsonToolName: json.name };
}

/** A client tool with a cache hint (`cache_control`, from Anthropic-format clients) is followed by a cachePoint (its ttl kept): the tool list up to it is cached. */
function withCachePoints(tools: BedrockToolSpec[], request: ChatRequest): BedrockToolConfig['tools'] {
  const hinted = new Map<string, BedrockCachePointBlock>();
  for (const tool of request.tools ?? []) {
    const point = cachePointFor(tool);
    if (point !== undefined) hinted.set(tool.function?.name, point);
  }
  if (hinted.size === 0) return tools;
  return tools.flatMap((tool) => {
    const point = hinted.get(tool.toolSpec.name);
    return point !== undefined ? [tool, point] : [tool];
  });
}

/**
 * Converse's inferenceConfig; `sampling: false` leaves temperature and top_p out (Claude with
 * thinking on, or a Claude that refuses them), `topP: false` top_p alone (a Claude that takes
 * only one of the two, beside a temperature).
 */
function inferenceConfigOf(request: ChatRequest, maxTokens: number | undefined, sampling: boolean, topP: boolean, stops: string[]): BedrockInferenceConfig | undefined {
  const config: BedrockInferenceConfig = {};
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  // OpenAI's temperature runs 0..2; the models on Bedrock take 0..1, so higher values are clamped, not refused.
  if (sampling && typeof request.temperature === 'number') config.temperature = Math.min(Math.max(request.temperature, 0), 1);
  if (sampling && topP && typeof request.top_p === 'number') config.topP = request.top_p;
  if (stops.length > 0) config.stopSequences = stops;
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * top_k has no Converse field: Claude reads `top_k` from additionalModelRequestFields, Amazon Nova
 * `inferenceConfig.topK` there (AWS's Nova user guide: "Inference parameters like topK are not
 * supported in Converse and need to be passed in additionalModelRequestFields"); undefined for the
 * other models, which document none Converse can pass.
 */
function topKFields(topK: number, model: string): Record<string, unknown> | undefined {
  if (isClaude(model)) return { top_k: topK };
  if (isNova(model)) return { inferenceConfig: { topK } };
  return undefined;
}

/**
 * Tools and tool choices the model lacks per AWS's table (bedrock-model-features.ts), refused
 * before any call with the field named: Converse would answer a bare 400 ValidationException.
 * Checked on the toolConfig about to be sent, so `tool_choice: none` without tool history passes.
 */
function refuseMissingToolFeatures(config: BedrockToolConfig | undefined, missing: MissingFeatures, request: ChatRequest, model: string): void {
  if (config === undefined) return;
  if (missing.toolUse) {
    const param = (request.tools ?? []).length > 0 ? 'tools' : 'messages';
    const sent = param === 'tools' ? "'tools'" : 'tool calls or tool results in the history';
    throw errors.unsupportedParameter(param, `Model '${model}' on provider 'bedrock' takes no tool use (AWS's Converse model features table); send the request without ${sent}, or use a model that takes tools.`);
  }
  const choice = config.toolChoice;
  if (choice !== undefined && (('any' in choice && missing.toolChoiceAny) || ('tool' in choice && missing.toolChoiceTool))) {
    const value = 'any' in choice ? "'required'" : 'a named function';
    throw errors.unsupportedValue('tool_choice', `Model '${model}' on provider 'bedrock' takes tool_choice 'auto' (or 'none'), not ${value}: Converse refuses toolChoice.${'any' in choice ? 'any' : 'tool'} for it (AWS's ToolChoice reference).`);
  }
}

/**
 * Maps a canonical (OpenAI chat) request to a Converse body, shaped to what the model takes
 * (bedrock-model-features.ts). Parameters Converse lacks (seed, penalties, logprobs, logit_bias,
 * parallel_tool_calls) are the provider's droppedParameters; `n` above 1 cannot be honoured and is
 * refused rather than silently answered once.
 */
export function convertToBedrockRequest(request: ChatRequest, model: string): BedrockRequestPlan {
  if (typeof request.n === 'number' && request.n > 1) {
    throw errors.invalidRequest("Provider 'bedrock' returns one choice per request; 'n' must be 1.", 'n');
  }
  const forcedToolChoice = takesForcedToolChoice(model);
  const missing = missingFeaturesOf(model);
  const converted = convertToBedrockMessages(request.messages, {
    toolResultStatus: takesToolResultStatus(model),
    refuseImagesFor: missing.vision ? model : undefined,
    refuseDocumentsFor: missing.documents ? model : undefined,
    cachePoints: takesCachePoints(model),
  });
  const instruction = forcedToolChoice ? null : jsonInstruction(request.response_format);
  if (instruction !== null) converted.system.push({ text: instruction });
  const { system, messages } = fitConverseConversation(converted, takesSystemPrompts(model));
  const body: BedrockConverseRequest = { messages };
  if (system.length > 0) body.system = system;
  const tools = toolConfigOf(request, converted.toolNamesInHistory, forcedToolChoice, cachesTools(model));
  refuseMissingToolFeatures(tools.config, missing, request, model);
  if (tools.config) body.toolConfig = tools.config;

  const claude = isClaude(model);
  const choice = tools.config?.toolChoice;
  const clientMaxTokens = providerOutputLimit(request);
  let thinking = bedrockClaudeThinking(request, model, clientMaxTokens, choice !== undefined && ('any' in choice || 'tool' in choice));
  // Claude Opus 4.7 and later refuse temperature, top_p and top_k at any value: left out, and named for the warning.
  const refusesSampling = claude && claudeRejectsSampling(model);
  const unhonoured: string[] = refusesSampling ? (['temperature', 'top_p', 'top_k'] as const).filter((name) => typeof request[name] === 'number') : [];
  // A tool loop whose last tool turn has no thinking to go back: Claude refuses thinking then, so it is left out, with the warning.
  if (thinking !== undefined && lastToolTurnWithoutReasoning(messages)) {
    thinking = undefined;
    unhonoured.push(typeof request.reasoning_effort === 'string' ? 'reasoning_effort' : 'reasoning_budget_tokens');
  }
  // Other models' reasoning (Nova 2 Lite, gpt-oss); a model that takes none is named for the warning.
  const reasoning = bedrockModelReasoning(request, model);
  unhonoured.push(...reasoning.unhonoured);
  // Nova 2 Lite at high effort refuses temperature, top_p and top_k: left out, and named for the warning.
  if (reasoning.refusesSampling) unhonoured.push(...(['temperature', 'top_p', 'top_k'] as const).filter((name) => typeof request[name] === 'number'));
  // Claude 4.1 to 4.6 take temperature or top_p, not both: temperature stays, top_p is left out, with the warning.
  const sampling = thinking === undefined && !refusesSampling && !reasoning.refusesSampling;
  const topP = !(sampling && claude && typeof request.temperature === 'number' && typeof request.top_p === 'number' && claudeRefusesTemperatureWithTopP(model));
  if (!topP) unhonoured.push('top_p');
  // Claude refuses whitespace-only stop sequences ("\n" is a common OpenAI one), as on Anthropic's API: left out, with the warning.
  const stops = stopSequences(request.stop) ?? [];
  const usableStops = claude ? stops.filter((stop) => stop.trim() !== '') : stops;
  if (usableStops.length < stops.length) unhonoured.push('stop');
  const inferenceConfig = inferenceConfigOf(request, thinking?.maxTokens ?? clientMaxTokens, sampling, topP, usableStops);
  if (inferenceConfig) body.inferenceConfig = inferenceConfig;
  const fields: Record<string, unknown> = { ...(thinking?.fields ?? reasoning.fields) };
  // top_k goes in the model fields where the model reads it (not with Claude's thinking); a model that reads none is named for the warning.
  if (sampling && typeof request.top_k === 'number') {
    const topK = topKFields(request.top_k, model);
    if (topK !== undefined) Object.assign(fields, topK);
    else unhonoured.push('top_k');
  }
  if (Object.keys(fields).length > 0) body.additionalModelRequestFields = fields;
  // Converse says a stop sequence ended the answer, not which: Claude's own response field names it.
  if (claude && usableStops.length > 0) body.additionalModelResponseFieldPaths = ['/stop_sequence'];
  return { body, jsonToolName: tools.jsonToolName, jsonText: instruction !== null, stopSequences: usableStops, unhonoured };
}
