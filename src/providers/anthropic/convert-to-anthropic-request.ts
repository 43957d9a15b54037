import { anthropicOnlyFieldsOf, type AnthropicOnlyFields } from '../../canonical/anthropic-only-fields.ts';
import type { ChatRequest, FunctionTool, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { jsonModeTool } from '../json-mode-tool.ts';
import type { AnthropicRequest, AnthropicTool, AnthropicToolChoice } from './anthropic-api.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';
import { applyThinkingAndSampling, defaultMaxTokens, lastToolTurnWithoutThinking } from './convert-to-anthropic-thinking.ts';
import { maxOutputTokens, stopSequences } from '../output-limits.ts';

export interface AnthropicRequestPlan {
  body: AnthropicRequest;
  /** The forced tool standing in for response_format JSON mode; its input is the answer text. */
  jsonToolName: string | null;
  /**
   * Parameters the request set that this model cannot honour and the body leaves out (sampling on
   * Opus 4.7 and later, whitespace-only stop sequences, reasoning_effort when the last tool turn
   * has no thinking to go back): the caller warns, or refuses under strict_params.
   */
  unhonoured: string[];
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
 * Claude model), added to the tools with the tool_choice that makes Claude call it. With the
 * client's tools and tool_choice `none` (an agent loop's "final answer, no more tools" step) the
 * JSON tool is forced too, as without client tools: `none` would forbid the JSON tool with the
 * others and Claude would answer in prose. The client's tools stay declared (Claude cannot call
 * them with another tool forced), so the tools part of a cached prompt prefix stays the same.
 */
function addJsonTool(request: ChatRequest, tools: AnthropicTool[], choice: AnthropicToolChoice | undefined): { name: string | null; choice: AnthropicToolChoice | undefined } {
  const jsonTool = jsonModeTool(request.response_format, tools.map((tool) => tool.name));
  if (jsonTool === null) return { name: null, choice };
  const clientHasTools = tools.length > 0;
  const { name, description, schema } = jsonTool;
  tools.push({ name, description, input_schema: schema });
  if (!clientHasTools || choice?.type === 'none') return { name, choice: { type: 'tool', name } };
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

  const only = anthropicOnlyFieldsOf(request);
  const tools = (request.tools ?? []).map(convertTool);
  // With only server tools declared, the client's own choice (the canonical request keeps none beside no tools).
  let choice = tools.length > 0 ? convertToolChoice(request.tool_choice) : (only?.toolChoice as AnthropicToolChoice | undefined);
  // The client's own structured output goes as it sent it (addNativeOutputFormat), not as a forced JSON tool.
  const nativeFormat = only?.outputConfig !== undefined || only?.outputFormat !== undefined;
  const json = nativeFormat ? { name: null, choice } : addJsonTool(request, tools, choice);
  choice = json.choice;
  if (request.parallel_tool_calls === false && tools.length > 0) {
    choice ??= { type: 'auto' };
    if (choice.type !== 'none') choice.disable_parallel_tool_use = true;
  }
  if (tools.length > 0) body.tools = tools;
  if (choice) body.tool_choice = choice;

  const forcedTool = choice?.type === 'any' || choice?.type === 'tool';
  const unhonoured = applyThinkingAndSampling(request, model, body, clientMaxTokens, { forcedTool, toolTurnWithoutThinking: typeof request.reasoning_effort === 'string' && lastToolTurnWithoutThinking(messages) });
  // Anthropic refuses whitespace-only stop sequences ("\n" is a common OpenAI one): they are left out.
  const stops = only?.stopSequences ?? stopSequences(request.stop) ?? [];
  const usableStops = stops.filter((stop) => stop.trim() !== '');
  if (usableStops.length > 0) body.stop_sequences = usableStops;
  if (usableStops.length < stops.length) unhonoured.push('stop');
  if (typeof request.user === 'string' && request.user !== '') body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  if (only !== undefined) addAnthropicOnlyFields(body, only, request.response_format);
  return { body, jsonToolName: json.name, unhonoured };
}

/**
 * An Anthropic client's structured output as it sent it (`output_config` with its format and
 * whatever else it holds, or the beta's top-level `output_format`), over the adapter's own
 * `output_config` (the effort of adaptive thinking). The schema is the canonical
 * `response_format`'s: a guardrail (pii) may have rewritten its descriptions and values.
 */
function addNativeOutputFormat(body: AnthropicRequest, only: AnthropicOnlyFields, responseFormat: ChatRequest['response_format']): void {
  const clientFormat = (only.outputConfig?.format ?? only.outputFormat) as Record<string, unknown> | undefined;
  if (clientFormat === undefined) return;
  const schema = responseFormat?.type === 'json_schema' ? responseFormat.json_schema.schema : undefined;
  const format = schema === undefined ? clientFormat : { ...clientFormat, schema };
  if (only.outputConfig !== undefined) body.output_config = { ...body.output_config, ...only.outputConfig, format };
  else body.output_format = format;
}

/**
 * What an Anthropic client sent that the canonical model has no form for, put back as it came
 * (../../canonical/anthropic-only-fields.ts): its server tools at their places among its tools
 * (the tools are part of a cached prompt's prefix), its structured output, and its other
 * Anthropic-only fields.
 */
function addAnthropicOnlyFields(body: AnthropicRequest, only: AnthropicOnlyFields, responseFormat: ChatRequest['response_format']): void {
  addNativeOutputFormat(body, only, responseFormat);
  if (only.serverTools.length > 0) {
    const tools: Array<AnthropicTool | Record<string, unknown>> = [...(body.tools ?? [])];
    for (const { index, tool } of only.serverTools) tools.splice(Math.min(index, tools.length), 0, tool);
    body.tools = tools as AnthropicTool[];
  }
  Object.assign(body, only.fields);
}
