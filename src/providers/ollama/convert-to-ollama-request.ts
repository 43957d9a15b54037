import type { ChatRequest } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { OllamaChatRequest, OllamaTool } from './ollama-api.ts';
import { convertToOllamaMessages } from './convert-to-ollama-messages.ts';
import { ollamaOptions, type OllamaRequestOptions } from './ollama-options.ts';
import { providerOutputLimit } from '../output-limits.ts';
import { toolsForChoice } from '../narrow-allowed-tools.ts';

/** The request and what in it Ollama cannot honour (left out; the provider warns or refuses). */
export interface OllamaRequestPlan {
  body: OllamaChatRequest;
  /** Names of parameters whose value could not be honoured: `tool_choice` (required / named), `parallel_tool_calls: false`. */
  unhonoured: string[];
}

/** The tools to declare: the client's functions, or only the one a named tool_choice names (toolsForChoice). */
function toolsOf(request: ChatRequest): OllamaTool[] {
  return toolsForChoice(request).map((tool) => ({
    type: 'function',
    function: {
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    },
  }));
}

/**
 * reasoning_effort as `think`. GPT-OSS models take named levels (and cannot stop thinking, so
 * `minimal` is their `low`); other thinking models take on/off, and Ollama gives a level name
 * they do not know the model's default, which may be off, so they get `true`.
 */
function thinkOf(effort: ChatRequest['reasoning_effort'], model: string): OllamaChatRequest['think'] {
  if (effort === undefined || effort === null) return undefined;
  if (/gpt-oss/i.test(model)) return effort === 'minimal' ? 'low' : effort;
  return effort !== 'minimal';
}

/**
 * The canonical chat request as an /api/chat body. `stream` is always written: Ollama streams
 * when it is missing. Ollama has no tool_choice: `auto` is what it does, `none` sends no tools, a
 * named function is sent as the only tool (toolsOf), and neither it nor `required` can make the
 * model call a tool (reported in `unhonoured`, as is `parallel_tool_calls: false`). `n` above 1
 * is refused: Ollama answers once.
 */
export function convertToOllamaRequest(request: ChatRequest, model: string, stream: boolean, settings: OllamaRequestOptions = {}): OllamaRequestPlan {
  if (typeof request.n === 'number' && request.n > 1) {
    throw errors.invalidRequest("Provider 'ollama' returns one choice per request; 'n' must be 1.", 'n');
  }
  const body: OllamaChatRequest = { model, messages: convertToOllamaMessages(request.messages), stream };
  const unhonoured: string[] = [];
  const tools = toolsOf(request);
  const choice = request.tool_choice;
  if (tools.length > 0 && choice !== 'none') {
    body.tools = tools;
    if (choice !== undefined && choice !== null && choice !== 'auto') unhonoured.push('tool_choice');
  }
  // Ollama has no switch for parallel calls (`true` is what it does anyway).
  if (request.parallel_tool_calls === false) unhonoured.push('parallel_tool_calls');
  const format = request.response_format;
  if (format?.type === 'json_object') body.format = 'json';
  else if (format?.type === 'json_schema') body.format = format.json_schema?.schema ?? 'json';
  const options = ollamaOptions(request, providerOutputLimit(request), settings);
  if (options) body.options = options;
  const think = thinkOf(request.reasoning_effort, model);
  if (think !== undefined) body.think = think;
  if (settings.keepAlive !== undefined) body.keep_alive = settings.keepAlive;
  return { body, unhonoured };
}
