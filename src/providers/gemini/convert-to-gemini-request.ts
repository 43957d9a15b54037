import type { ChatRequest, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GeminiGenerateContentRequest, GeminiGenerationConfig, GeminiThinkingConfig, GeminiTool, GeminiToolConfig } from './gemini-api.ts';
import { convertToGeminiContents } from './convert-to-gemini-contents.ts';
import { isEmptyObjectSchema, toGeminiSchema } from './gemini-schema.ts';
import { maxOutputTokens, stopSequences } from '../output-limits.ts';

/** Settings of the provider entry that shape every request (config `options:`). */
export interface GeminiRequestOptions {
  /** Passed as `safetySettings` (Gemini's own shape: [{category, threshold}]). */
  safetySettings?: unknown[];
}

function toolConfigOf(choice: ToolChoice | undefined): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (typeof choice === 'object' && choice.type === 'function' && typeof choice.function?.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  }
  throw errors.invalidField('tool_choice', "'auto', 'none', 'required' or {type:'function', function:{name}}");
}

function toolsOf(request: ChatRequest): GeminiTool[] | undefined {
  const functions = (request.tools ?? []).filter((tool) => tool.type === 'function');
  if (functions.length === 0) return undefined;
  return [
    {
      functionDeclarations: functions.map((tool) => {
        const parameters = toGeminiSchema(tool.function.parameters);
        return {
          name: tool.function.name,
          ...(tool.function.description ? { description: tool.function.description } : {}),
          // A function without arguments has no parameters: Gemini rejects an object schema with no properties.
          ...(isEmptyObjectSchema(parameters) ? {} : { parameters }),
        };
      }),
    },
  ];
}

/**
 * reasoning_effort as Gemini's thinking settings: Gemini 3 takes a level, Gemini 2.5 a token
 * budget (Pro cannot turn thinking off, so its least is 128). Thought summaries are asked for so
 * they come back as reasoning_content.
 */
function thinkingConfigOf(request: ChatRequest, model: string): GeminiThinkingConfig | undefined {
  const effort = request.reasoning_effort;
  if (effort === undefined || effort === null) return undefined;
  if (/gemini-[3-9]/.test(model)) return { includeThoughts: true, thinkingLevel: effort === 'minimal' || effort === 'low' ? 'low' : 'high' };
  const budgets: Record<string, number> = { minimal: model.includes('pro') ? 128 : 0, low: 1024, medium: 8192, high: 24576 };
  const thinkingBudget = budgets[effort] ?? 8192;
  return thinkingBudget === 0 ? { thinkingBudget } : { includeThoughts: true, thinkingBudget };
}

function generationConfigOf(request: ChatRequest, model: string): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (typeof request.temperature === 'number') config.temperature = request.temperature;
  if (typeof request.top_p === 'number') config.topP = request.top_p;
  const maxTokens = maxOutputTokens(request);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stops = stopSequences(request.stop);
  if (stops) config.stopSequences = stops;
  if (typeof request.seed === 'number') config.seed = request.seed;
  if (typeof request.n === 'number' && request.n > 1) config.candidateCount = request.n;
  if (typeof request.presence_penalty === 'number') config.presencePenalty = request.presence_penalty;
  if (typeof request.frequency_penalty === 'number') config.frequencyPenalty = request.frequency_penalty;
  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = toGeminiSchema(format.json_schema?.schema);
    if (schema) config.responseSchema = schema;
  }
  const thinking = thinkingConfigOf(request, model);
  if (thinking) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * The canonical chat request as a Gemini generateContent body. Dropped because Gemini has no
 * equivalent: logprobs/top_logprobs, parallel_tool_calls, user, metadata, logit_bias.
 */
export function convertToGeminiRequest(request: ChatRequest, model: string, options: GeminiRequestOptions = {}): GeminiGenerateContentRequest {
  const { systemInstruction, contents } = convertToGeminiContents(request.messages);
  const body: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = toolsOf(request);
  if (tools) {
    body.tools = tools;
    const toolConfig = toolConfigOf(request.tool_choice);
    if (toolConfig) body.toolConfig = toolConfig;
  }
  const generationConfig = generationConfigOf(request, model);
  if (generationConfig) body.generationConfig = generationConfig;
  if (options.safetySettings && options.safetySettings.length > 0) body.safetySettings = options.safetySettings;
  return body;
}
