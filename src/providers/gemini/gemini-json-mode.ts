import type { ChatRequest } from '../../canonical/chat.ts';
import { jsonModeTool, type JsonModeTool } from '../json-mode-tool.ts';
import type { GeminiFunctionDeclaration, GeminiToolConfig } from './gemini-api.ts';
import { toGeminiParameters } from './gemini-json-schema.ts';
import { isGemini3OrLater } from './gemini-model-family.ts';
import type { GeminiToolNames } from './gemini-tool-names.ts';

/**
 * JSON mode beside the client's functions, on the models that cannot have both. Gemini 2.x (and
 * older) refuses function declarations together with `responseMimeType: application/json`: a 400
 * INVALID_ARGUMENT "Function calling with a response mime type: 'application/json' is
 * unsupported", so every such request failed. Google documents structured output together with
 * function calling for the Gemini 3 models only, which get `responseMimeType` and the schema as
 * without tools. The others get a forced tool instead (json-mode-tool.ts, as the anthropic and
 * bedrock adapters do): a `json_response` function whose parameters are the requested schema,
 * called under mode ANY, which Google documents as constraining the answer to a function call
 * that follows its declaration; its arguments come back as the message content.
 *
 * Null when the request needs no such tool: no JSON response_format, no function tools, or a
 * Gemini 3 model. A request without tools or JSON mode is decided on its first check.
 */
export function geminiJsonModeTool(request: ChatRequest, model: string, toolNames: GeminiToolNames): JsonModeTool | null {
  const format = request.response_format;
  if (format?.type !== 'json_object' && format?.type !== 'json_schema') return null;
  const functions = (request.tools ?? []).filter((tool) => tool.type === 'function');
  if (functions.length === 0 || isGemini3OrLater(model)) return null;
  // Kept apart from the client's names both as written and as Gemini sees them (a renamed `json response`).
  const taken = functions.flatMap((tool) => [tool.function.name, toolNames.toGemini(tool.function.name)]);
  return jsonModeTool(format, taken);
}

/** The JSON tool as a function declaration: its parameters are the schema (any object for json_object). */
export function jsonToolDeclaration(tool: JsonModeTool): GeminiFunctionDeclaration {
  return { name: tool.name, description: tool.description, parametersJsonSchema: toGeminiParameters(tool.schema) ?? { type: 'object' } };
}

/**
 * The function calling mode that makes the model answer through the JSON tool or call one of the
 * client's functions, never answer in free text: ANY over all declarations for `auto`, `required`
 * or no choice; ANY limited to the JSON tool for `none` (an agent loop's "final answer, no more
 * tools" step: the client's functions stay declared but cannot be called); a named function stays
 * the only one callable, as the client asked (`clientConfig`, from the client's tool_choice).
 */
export function jsonToolConfig(clientConfig: GeminiToolConfig | undefined, tool: JsonModeTool): GeminiToolConfig {
  const calling = clientConfig?.functionCallingConfig;
  if (calling?.mode === 'NONE') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [tool.name] } };
  if (calling?.allowedFunctionNames !== undefined) return clientConfig!;
  return { functionCallingConfig: { mode: 'ANY' } };
}
