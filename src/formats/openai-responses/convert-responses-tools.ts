import type { FunctionTool, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { ResponsesFunctionTool, ResponsesToolChoice } from './responses-api.ts';

/**
 * A flat Responses function tool as a canonical (chat completions) tool, nested under `function`.
 * `strict` is passed only when the client set it: chat completions (and so every provider behind
 * the gateway) read an unset `strict` as non-strict, where OpenAI's own Responses API would make
 * the schema strict.
 */
function functionToolOf(tool: ResponsesFunctionTool): FunctionTool {
  const fn: FunctionTool['function'] = { name: tool.name, parameters: tool.parameters ?? { type: 'object', properties: {} } };
  if (typeof tool.description === 'string') fn.description = tool.description;
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

/**
 * The tools and tool_choice of a Responses request in the canonical model. An `allowed_tools`
 * choice has no chat counterpart the canonical model carries, so its effect is made plain: only
 * the allowed tools are sent, with its mode (auto / required) as the choice.
 */
export function convertResponsesTools(tools: ResponsesFunctionTool[], choice: ResponsesToolChoice | null | undefined): { tools: FunctionTool[]; tool_choice?: ToolChoice } {
  if (choice === null || choice === undefined) return { tools: tools.map(functionToolOf) };
  if (typeof choice === 'string') return { tools: tools.map(functionToolOf), tool_choice: choice };
  if (choice.type === 'function') return { tools: tools.map(functionToolOf), tool_choice: { type: 'function', function: { name: choice.name } } };
  const allowed = new Set(choice.tools.map((tool) => tool.name));
  const kept = tools.filter((tool) => allowed.has(tool.name));
  if (kept.length === 0) throw errors.invalidRequest("'tool_choice.tools' allows none of the functions in 'tools'.", 'tool_choice.tools');
  return { tools: kept.map(functionToolOf), tool_choice: choice.mode };
}
