import type { ChatMessage, ChatRequest, FunctionTool, ResponseFormat } from '../../canonical/chat.ts';
import { checkModelName } from '../../canonical/model-name.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { isObject, isSet, optionalBoolean, requireString, type JsonObject } from './check-fields.ts';

/**
 * Whether the translation refused a request for something only OpenAI's own Responses API can do
 * (stored state, hosted tools and their items, files by id or URL, parameters the gateway does
 * not map: parse-responses-request.ts's `unsupported_parameter` and `unsupported_value`), so an
 * `openai` or `azure` target may still serve it natively. Bad shapes stay refused.
 */
export function needsNativeResponses(refusal: GatewayError): boolean {
  return refusal.code === 'unsupported_parameter' || refusal.code === 'unsupported_value';
}

/**
 * A Responses request the gateway forwards natively, as the canonical chat request its plugins
 * and limits read: never sent anywhere (the client's bytes are), it carries what the gateway can
 * read of the request: `instructions` and the text of the message items (input_text, output_text,
 * refusal parts), function calls with their arguments and their outputs' text, custom tool
 * outputs, the text of a stored prompt's `prompt.variables`, function and custom tool definitions
 * (name, description, parameters: guardrails and token estimates read them as for chat),
 * `max_output_tokens` (the limits' estimate) and a JSON `text.format` with its description (what
 * output-validation would check). Hosted tool items, images and files are not in it. Only `model`
 * and `stream` are checked; OpenAI judges the rest.
 */
export function readNativeResponsesRequest(request: JsonObject): ChatRequest {
  requireString(request, 'model', 'model');
  if (request.model === '') throw errors.invalidField('model', 'a non-empty string');
  checkModelName(request.model as string);
  optionalBoolean(request, 'stream', 'stream');
  const messages: ChatMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '') messages.push({ role: 'system', content: request.instructions });
  if (typeof request.input === 'string') messages.push({ role: 'user', content: request.input });
  else if (Array.isArray(request.input)) for (const item of request.input) pushReadable(messages, item);
  const variables = isObject(request.prompt) ? variablesText(request.prompt.variables) : '';
  if (variables !== '') messages.push({ role: 'user', content: variables });
  const canonical: ChatRequest = { model: request.model as string, messages };
  const tools = Array.isArray(request.tools) ? request.tools.flatMap(readableTool) : [];
  if (tools.length > 0) canonical.tools = tools;
  if (request.stream === true) canonical.stream = true;
  if (typeof request.max_output_tokens === 'number') canonical.max_completion_tokens = request.max_output_tokens;
  const format = isObject(request.text) ? jsonFormatOf(request.text.format) : undefined;
  if (format !== undefined) canonical.response_format = format;
  return canonical;
}

const roles = new Set(['user', 'assistant', 'system', 'developer']);

/** A function or custom tool's definition as a chat function tool (what guardrails scan and estimates count); hosted tools carry no text. */
function readableTool(tool: unknown): FunctionTool[] {
  if (!isObject(tool) || (tool.type !== 'function' && tool.type !== 'custom') || typeof tool.name !== 'string') return [];
  const definition: FunctionTool['function'] = { name: tool.name };
  if (typeof tool.description === 'string') definition.description = tool.description;
  if (isObject(tool.parameters)) definition.parameters = tool.parameters;
  // A custom tool's grammar or format is text the model reads, like a function's parameters.
  else if (isObject(tool.format)) definition.parameters = { format: tool.format };
  return [{ type: 'function', function: definition }];
}

/** The text of a stored prompt's variables: strings and input_text parts, one per line. */
function variablesText(variables: unknown): string {
  if (!isObject(variables)) return '';
  const texts: string[] = [];
  for (const value of Object.values(variables)) {
    if (typeof value === 'string') texts.push(value);
    else if (isObject(value) && value.type === 'input_text' && typeof value.text === 'string') texts.push(value.text);
  }
  return texts.join('\n');
}

function pushReadable(messages: ChatMessage[], item: unknown): void {
  if (!isObject(item)) return;
  const type = item.type;
  if ((type === undefined || type === null || type === 'message') && typeof item.role === 'string' && roles.has(item.role)) {
    const text = textOf(item.content);
    if (text !== '') messages.push({ role: item.role as 'user', content: text });
    return;
  }
  if (type === 'function_call' && typeof item.name === 'string' && typeof item.call_id === 'string') {
    const calls = [{ id: item.call_id, type: 'function' as const, function: { name: item.name, arguments: typeof item.arguments === 'string' ? item.arguments : '' } }];
    messages.push({ role: 'assistant', content: null, tool_calls: calls });
    return;
  }
  if ((type === 'function_call_output' || type === 'custom_tool_call_output') && typeof item.call_id === 'string') {
    const text = textOf(item.output);
    if (text !== '') messages.push({ role: 'tool', tool_call_id: item.call_id, content: text });
  }
}

/** The text of a content string or of its text parts (input_text, output_text, refusal), joined. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (!isObject(part)) continue;
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string') text += (text === '' ? '' : '\n') + part.text;
    else if (part.type === 'refusal' && typeof part.refusal === 'string') text += (text === '' ? '' : '\n') + part.refusal;
  }
  return text;
}

function jsonFormatOf(format: unknown): ResponseFormat | undefined {
  if (!isObject(format)) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema' && typeof format.name === 'string' && isObject(format.schema)) {
    const schema: Extract<ResponseFormat, { type: 'json_schema' }>['json_schema'] = { name: format.name, schema: format.schema };
    if (isSet(format.strict) && typeof format.strict === 'boolean') schema.strict = format.strict;
    if (typeof format.description === 'string') schema.description = format.description;
    return { type: 'json_schema', json_schema: schema };
  }
  return undefined;
}
