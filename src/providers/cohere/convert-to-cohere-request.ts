import type { ChatRequest, ToolChoice } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { CohereChatRequest, CohereResponseFormat, CohereTool } from './cohere-api.ts';
import { convertToCohereMessages } from './convert-to-cohere-messages.ts';
import { clampTo, cohereRanges } from './cohere-parameter-ranges.ts';
import { providerOutputLimit, stopSequences } from '../output-limits.ts';
import { namedToolChoice, toolsForChoice } from '../narrow-allowed-tools.ts';
import { cohereRagFieldsOf } from './cohere-rag-fields.ts';

/** The Cohere body, and the parameters whose value Cohere cannot honour as sent. */
export interface CohereChatPlan {
  body: CohereChatRequest;
  /**
   * Parameters set to a value Cohere has no equivalent for, left out of the body:
   * `parallel_tool_calls: false`. Which parameters these are depends on their value, so they
   * cannot be in the provider's droppedParameters; the provider warns or refuses.
   */
  unhonoured: string[];
  /**
   * Parameters sent with their value moved into Cohere's range (cohere-parameter-ranges.ts):
   * `frequency_penalty` / `presence_penalty` outside 0..1, `top_k` above 500. The provider warns
   * or refuses for them. (`top_p` is clamped into 0.01..0.99 without a word: OpenAI's default of 1
   * is sent by many clients, and 0.99 samples the same.)
   */
  clamped: string[];
  /**
   * True when the client sent Cohere's RAG fields (`documents`, `citation_options`): the answer's
   * citations then go back to it (`message.citations`); without them nothing changes.
   */
  returnsCitations: boolean;
}

/**
 * The tools to declare: the client's functions, or only the one a named tool_choice names
 * (toolsForChoice: Cohere has no named choice; with that tool alone and REQUIRED the model must
 * call it, as OpenAI promises).
 */
function toolsOf(request: ChatRequest): CohereTool[] | undefined {
  const functions = toolsForChoice(request);
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

/** tool_choice as Cohere's: REQUIRED / NONE, auto by leaving it out; a named function is REQUIRED (toolsOf declares it alone). */
function toolChoiceOf(choice: ToolChoice | undefined): CohereChatRequest['tool_choice'] | undefined {
  if (choice === undefined || choice === null || choice === 'auto') return undefined;
  if (choice === 'required' || namedToolChoice(choice) !== undefined) return 'REQUIRED';
  if (choice === 'none') return 'NONE';
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

/**
 * Sampling and length settings, renamed where Cohere's name differs (top_p is `p`, top_k is `k`,
 * stop is `stop_sequences`) and moved into Cohere's documented ranges; the names of those whose
 * value had to change (other than top_p) are added to `clamped`.
 */
function applySettings(request: ChatRequest, body: CohereChatRequest, clamped: string[]): void {
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.p = clampTo(cohereRanges.p, request.top_p);
  // Not OpenAI's: an Anthropic-format client's top_k (or an OpenAI client's extension field).
  const topK = request.top_k;
  if (typeof topK === 'number') body.k = ranged(topK, cohereRanges.k, 'top_k', clamped);
  const maxTokens = providerOutputLimit(request);
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  const stops = stopSequences(request.stop);
  if (stops) body.stop_sequences = stops;
  if (typeof request.seed === 'number') body.seed = request.seed;
  if (typeof request.frequency_penalty === 'number') body.frequency_penalty = ranged(request.frequency_penalty, cohereRanges.frequency_penalty, 'frequency_penalty', clamped);
  if (typeof request.presence_penalty === 'number') body.presence_penalty = ranged(request.presence_penalty, cohereRanges.presence_penalty, 'presence_penalty', clamped);
}

/** `value` clamped into `range`; `name` is added to `clamped` when that changed it. */
function ranged(value: number, range: { min: number; max: number }, name: string, clamped: string[]): number {
  const inRange = clampTo(range, value);
  if (inRange !== value) clamped.push(name);
  return inRange;
}

/**
 * The canonical chat request as a Cohere /v2/chat body. `stream` is always written, since
 * Cohere's default (false) is not what a streamed call needs. Parameters with no Cohere
 * equivalent at all are the provider's droppedParameters; those unhonoured or clamped only for
 * some values are listed in the plan. `n` above 1 is refused (400): Cohere answers once, and a
 * client that asked for several choices would read ones that are not there. Cohere's own RAG
 * fields, `documents` and `citation_options`, are checked and sent as they came (cohere-rag-fields.ts).
 */
export function convertToCohereRequest(request: ChatRequest, model: string, stream: boolean): CohereChatPlan {
  if (typeof request.n === 'number' && request.n > 1) {
    throw errors.invalidRequest("Provider 'cohere' returns one choice per request; 'n' must be 1.", 'n');
  }
  const body: CohereChatRequest = { model, messages: convertToCohereMessages(request.messages), stream };
  const unhonoured: string[] = [];
  const clamped: string[] = [];
  const tools = toolsOf(request);
  if (tools) {
    body.tools = tools;
    const choice = toolChoiceOf(request.tool_choice);
    if (choice !== undefined) body.tool_choice = choice;
  }
  const responseFormat = responseFormatOf(request);
  if (responseFormat) body.response_format = responseFormat;
  applySettings(request, body, clamped);
  if (request.parallel_tool_calls === false) unhonoured.push('parallel_tool_calls');
  const rag = cohereRagFieldsOf(request);
  if (rag) Object.assign(body, rag);
  return { body, unhonoured, clamped, returnsCitations: rag !== null };
}
