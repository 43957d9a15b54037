import type { ChatRequest, FunctionTool, ToolChoice } from '../canonical/chat.ts';
import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';

/** OpenAI's `allowed_tools`: the model may use only these of the declared tools (`required`: must call one). */
interface AllowedToolsChoice {
  type: 'allowed_tools';
  allowed_tools?: { mode?: string; tools?: Array<{ function?: { name?: unknown } } | null> };
}

/**
 * OpenAI's `tool_choice: {type: "allowed_tools"}` for a translated provider: only the allowed
 * tools are declared and the choice becomes its mode (`auto` or `required`), which every adapter
 * maps. The model can then call no other tool, as OpenAI promises. OpenAI-format providers get
 * the request as it came.
 */
export function narrowAllowedTools(operation: Operation, request: CanonicalRequest): CanonicalRequest {
  if (operation !== 'chat') return request;
  const chat = request as ChatRequest;
  // Not in the canonical ToolChoice: adapters never see it, this turns it into one they know.
  const choice = chat.tool_choice as AllowedToolsChoice | ChatRequest['tool_choice'];
  if (typeof choice !== 'object' || choice === null || choice.type !== 'allowed_tools') return request;
  const allowed = choice.allowed_tools;
  if (typeof allowed !== 'object' || allowed === null || !Array.isArray(allowed.tools) || (allowed.mode !== 'auto' && allowed.mode !== 'required')) {
    throw errors.invalidField('tool_choice.allowed_tools', "an object with mode 'auto' or 'required' and a tools array");
  }
  const names = new Set<string>();
  for (const tool of allowed.tools) {
    const name = tool?.function?.name;
    if (typeof name !== 'string') throw errors.invalidField('tool_choice.allowed_tools.tools', "function tools, each {type: 'function', function: {name}}");
    names.add(name);
  }
  const tools = (chat.tools ?? []).filter((tool) => names.has(tool.function.name));
  if (tools.length === 0) return { ...chat, tools: undefined, tool_choice: undefined } as CanonicalRequest;
  return { ...chat, tools, tool_choice: allowed.mode } as CanonicalRequest;
}

/** The function a tool_choice names (`{type: 'function', function: {name}}`), or undefined for auto / none / required. */
export function namedToolChoice(choice: ToolChoice | undefined): string | undefined {
  return typeof choice === 'object' && choice !== null && typeof choice.function?.name === 'string' ? choice.function.name : undefined;
}

/**
 * The request's function tools, for a provider with no named tool choice (Cohere, Ollama): with a
 * tool_choice naming a function, only that one, so the model can call no other (Cohere's REQUIRED
 * then makes it call that one). A name none of the declared functions has is refused (400
 * `tool_choice`), as OpenAI refuses it.
 */
export function toolsForChoice(request: ChatRequest): FunctionTool[] {
  const functions = (request.tools ?? []).filter((tool) => tool.type === 'function');
  const named = namedToolChoice(request.tool_choice);
  if (named === undefined || functions.length === 0) return functions;
  const chosen = functions.filter((tool) => tool.function.name === named);
  if (chosen.length === 0) throw errors.invalidRequest(`'tool_choice' names the function '${named}', which is not among the 'tools'.`, 'tool_choice');
  return chosen;
}
