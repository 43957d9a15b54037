import type { ChatRequest, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { CohereChatRequest, CohereResponseFormat, CohereTool } from './cohere-api.ts';
import { convertToCohereMessages } from './convert-to-cohere-messages.ts';
import { maxOutputTokens, stopSequences } from '../output-limits.ts';

/** The Cohere body, and the parameters whose value Cohere cannot honour (left out of the body). */
export interface CohereChatPlan {
  body: CohereChatRequest;
  /**
   * Parameters set to a value Cohere has no equivalent for: `tool_choice` naming a function,
   * `n` above 1, `parallel_tool_calls: false`. Which parameters these are depends on their value,
   * so they cannot be in the provider's droppedParameters; the provider warns or refuses for them.
   */
  unhonoured: string[];
}

function toolsOf(request: ChatRequest): CohereTool[] | undefined {
  const functions = (request.tools ?? []).filter((tool) => tool.type === 'function');
  if (functions.length === 0) return undefined;
  return functions.map((tool) => ({
    type: 'function',
    function: {
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      // A function without arguments still needs an object schema.
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    },
  }));
}

/** tool_choice as Cohere's: REQUIRED / NONE, auto by leaving it out; a named function is unhonoured (null). */
function toolChoiceOf(choice: ToolChoice | undefined): CohereChatRequest['tool_choice'] | null | undefined {
  if (choice === undefined || choice === null || choice === 'auto') return undefined;
  if (choice === 'required') return 'REQUIRED';
  if (choice === 'none') return 'NONE';
  if (typeof choice === 'object' && choice.type === 'function' && typeof choice.function?.name === 'string') return null;
  throw errors.invalidField('tool_choice', "'auto', 'none', 'required' or {type:'function', function:{name}}");
}

function responseFormatOf(request: ChatRequest): CohereResponseFormat | undefined {
  const format = request.response_format;
  if (format?.type === 'json_object') return { type: 'json_object' };
  if (format?.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    return schema ? { type: 'json_object', json_schema: schema } : { type: 'json_object' };
  }
  return undefined;
}

/** Sampling and length settings, renamed where Cohere's name differs (top_p is `p`, stop is `stop_sequences`). */
function applySettings(request: ChatRequest, body: CohereChatRequest): void {
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.p = request.top_p;
  const maxTokens = maxOutputTokens(request);
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  const stops = stopSequences(request.stop);
  if (stops) body.stop_sequences = stops;
  if (typeof request.seed === 'number') body.seed = request.seed;
  if (typeof request.frequency_penalty === 'number') body.frequency_penalty = request.frequency_penalty;
  if (typeof request.presence_penalty === 'number') body.presence_penalty = request.presence_penalty;
}

/**
 * The canonical chat request as a Cohere /v2/chat body. `stream` is always written, since
 * Cohere's default (false) is not what a streamed call needs. Parameters with no Cohere
 * equivalent at all are the provider's droppedParameters; those unhonoured only for some values
 * are listed in the plan.
 */
export function convertToCohereRequest(request: ChatRequest, model: string, stream: boolean): CohereChatPlan {
  const body: CohereChatRequest = { model, messages: convertToCohereMessages(request.messages), stream };
  const unhonoured: string[] = [];
  const tools = toolsOf(request);
  if (tools) {
    body.tools = tools;
    const choice = toolChoiceOf(request.tool_choice);
    if (choice === null) unhonoured.push('tool_choice');
    else if (choice !== undefined) body.tool_choice = choice;
  }
  const responseFormat = responseFormatOf(request);
  if (responseFormat) body.response_format = responseFormat;
  applySettings(request, body);
  if (typeof request.n === 'number' && request.n > 1) unhonoured.push('n');
  if (request.parallel_tool_calls === false) unhonoured.push('parallel_tool_calls');
  return { body, unhonoured };
}
