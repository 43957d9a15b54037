import type { ChatRequest, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GeminiGenerateContentRequest, GeminiGenerationConfig, GeminiTool, GeminiToolConfig } from './gemini-api.ts';
import { convertToGeminiContents } from './convert-to-gemini-contents.ts';
import { declaresNoParameters, toGeminiJsonSchema, toGeminiParameters } from './gemini-json-schema.ts';
import { geminiJsonModeTool, jsonToolConfig, jsonToolDeclaration } from './gemini-json-mode.ts';
import { geminiThinkingConfig } from './gemini-thinking.ts';
import { geminiToolNamesOf, type GeminiToolNames } from './gemini-tool-names.ts';
import { providerOutputLimit, stopSequences } from '../output-limits.ts';
import type { JsonModeTool } from '../json-mode-tool.ts';

/** Settings of the provider entry and endpoint that shape every request. */
export interface GeminiRequestOptions {
  /** Passed as `safetySettings` (Gemini's own shape: [{category, threshold}]; config `options.safety_settings`). */
  safetySettings?: unknown[];
  /** Vertex AI requires `fileData.mimeType` (see convert-to-gemini-contents.ts). */
  fileMimeTypeRequired?: boolean;
  /** The request's function names as Gemini sees them; made from the request when absent. */
  toolNames?: GeminiToolNames;
  /** The forced tool standing in for JSON mode beside functions (gemini-json-mode.ts; null: none); made from the request when undefined. */
  jsonTool?: JsonModeTool | null;
}

function toolConfigOf(choice: ToolChoice | undefined, toolNames: GeminiToolNames): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (typeof choice === 'object' && choice.type === 'function' && typeof choice.function?.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolNames.toGemini(choice.function.name)] } };
  }
  throw errors.invalidField('tool_choice', "'auto', 'none', 'required' or {type:'function', function:{name}}");
}

function toolsOf(request: ChatRequest, toolNames: GeminiToolNames): GeminiTool[] | undefined {
  const functions = (request.tools ?? []).filter((tool) => tool.type === 'function');
  if (functions.length === 0) return undefined;
  return [
    {
      functionDeclarations: functions.map((tool) => {
        const parameters = toGeminiParameters(tool.function.parameters);
        return {
          name: toolNames.toGemini(tool.function.name),
          ...(tool.function.description ? { description: tool.function.description } : {}),
          // A function that takes no argument is declared without parameters, as in Google's examples.
          ...(parameters && !declaresNoParameters(tool.function.parameters) ? { parametersJsonSchema: parameters } : {}),
        };
      }),
    },
  ];
}

/** `jsonByTool`: JSON mode goes as a forced tool (gemini-json-mode.ts), so no responseMimeType goes beside the functions. */
function generationConfigOf(request: ChatRequest, model: string, jsonByTool: boolean): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (typeof request.temperature === 'number') config.temperature = request.temperature;
  if (typeof request.top_p === 'number') config.topP = request.top_p;
  // Not OpenAI's: an Anthropic-format client's top_k (the canonical extension), or an OpenAI client's extra field.
  if (typeof request.top_k === 'number') config.topK = request.top_k;
  const maxTokens = providerOutputLimit(request);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stops = stopSequences(request.stop);
  if (stops) config.stopSequences = stops;
  if (typeof request.seed === 'number') config.seed = request.seed;
  if (typeof request.n === 'number' && request.n > 1) config.candidateCount = request.n;
  if (typeof request.presence_penalty === 'number') config.presencePenalty = request.presence_penalty;
  if (typeof request.frequency_penalty === 'number') config.frequencyPenalty = request.frequency_penalty;
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    // Gemini's `logprobs` is only valid beside responseLogprobs, as OpenAI's top_logprobs beside logprobs.
    if (typeof request.top_logprobs === 'number') config.logprobs = request.top_logprobs;
  }
  const format = jsonByTool ? undefined : request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = toGeminiJsonSchema(format.json_schema?.schema);
    if (schema) config.responseJsonSchema = schema;
  }
  const budgetTokens = request.reasoning_budget_tokens;
  const thinking = geminiThinkingConfig(request.reasoning_effort, model, { budgetTokens: typeof budgetTokens === 'number' ? budgetTokens : undefined, maxOutputTokens: maxTokens });
  if (thinking) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * The canonical chat request as a Gemini generateContent body (the Gemini API's and Vertex AI's).
 * Dropped because Gemini has no equivalent: parallel_tool_calls, user, metadata, logit_bias (and
 * thinking on a model without it); the gateway warns about them (the provider's droppedParameters,
 * gemini-unhonoured-parameters.ts).
 * Function names Google would refuse go up renamed (gemini-tool-names.ts); JSON mode beside
 * functions goes as a forced tool on the models that refuse both together (gemini-json-mode.ts).
 */
export function convertToGeminiRequest(request: ChatRequest, model: string, options: GeminiRequestOptions = {}): GeminiGenerateContentRequest {
  const toolNames = options.toolNames ?? geminiToolNamesOf(request);
  const { systemInstruction, contents } = convertToGeminiContents(request.messages, { toolNames, fileMimeTypeRequired: options.fileMimeTypeRequired });
  const body: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = toolsOf(request, toolNames);
  const jsonTool = options.jsonTool === undefined ? geminiJsonModeTool(request, model, toolNames) : options.jsonTool;
  if (tools) {
    body.tools = tools;
    const toolConfig = toolConfigOf(request.tool_choice, toolNames);
    if (jsonTool) {
      tools[0].functionDeclarations.push(jsonToolDeclaration(jsonTool));
      body.toolConfig = jsonToolConfig(toolConfig, jsonTool);
    } else if (toolConfig) body.toolConfig = toolConfig;
  }
  const generationConfig = generationConfigOf(request, model, jsonTool !== null && tools !== undefined);
  if (generationConfig) body.generationConfig = generationConfig;
  if (options.safetySettings && options.safetySettings.length > 0) body.safetySettings = options.safetySettings;
  return body;
}
