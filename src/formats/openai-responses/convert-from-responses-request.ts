import type { ChatMessage, ChatRequest, ResponseFormat } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { convertResponsesInput } from './convert-responses-input.ts';
import { convertResponsesTools } from './convert-responses-tools.ts';
import type { ResponsesClientRequest, ResponsesTextFormat } from './responses-api.ts';

/** The include entry that asks for output_text log probabilities. */
const logprobsInclude = 'message.output_text.logprobs';

function responseFormatOf(format: ResponsesTextFormat): ResponseFormat | undefined {
  switch (format.type) {
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const schema: Extract<ResponseFormat, { type: 'json_schema' }>['json_schema'] = { name: format.name, schema: format.schema };
      if (typeof format.strict === 'boolean') schema.strict = format.strict;
      if (typeof format.description === 'string') schema.description = format.description;
      return { type: 'json_schema', json_schema: schema };
    }
    default:
      // 'text' is what every model does unasked.
      return undefined;
  }
}

/**
 * A Responses API request in the canonical model (OpenAI's chat schema): `instructions` becomes
 * the first (system) message, `input` the messages, flat function tools nested ones,
 * `max_output_tokens` max_completion_tokens, `text.format` response_format, `reasoning.effort`
 * reasoning_effort. Streams always ask for usage: the encoder reports it in response.completed.
 * Fields that only shape the Response (metadata, store, truncation) stay out (responses-echo.ts).
 */
export function convertFromResponsesRequest(request: ResponsesClientRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '') messages.push({ role: 'system', content: request.instructions });
  messages.push(...convertResponsesInput(request.input));
  // Reasoning items alone leave nothing to send.
  if (messages.length === 0) throw errors.invalidRequest("'input' holds no message, function call or function call output.", 'input');

  const canonical: ChatRequest = { model: request.model, messages };
  if (request.stream === true) {
    canonical.stream = true;
    canonical.stream_options = { include_usage: true };
  }
  if (typeof request.temperature === 'number') canonical.temperature = request.temperature;
  if (typeof request.top_p === 'number') canonical.top_p = request.top_p;
  if (typeof request.max_output_tokens === 'number') canonical.max_completion_tokens = request.max_output_tokens;
  if (request.tools && request.tools.length > 0) {
    const { tools, tool_choice: toolChoice } = convertResponsesTools(request.tools, request.tool_choice);
    canonical.tools = tools;
    if (toolChoice !== undefined) canonical.tool_choice = toolChoice;
  }
  if (typeof request.parallel_tool_calls === 'boolean') canonical.parallel_tool_calls = request.parallel_tool_calls;
  const format = request.text?.format ? responseFormatOf(request.text.format) : undefined;
  if (format !== undefined) canonical.response_format = format;
  // Chat completions' own names for these; translated providers that have no counterpart ignore them.
  if (typeof request.text?.verbosity === 'string') canonical.verbosity = request.text.verbosity;
  const effort = request.reasoning?.effort;
  // The canonical type lists the four common efforts; 'none', 'xhigh' and 'max' go on as OpenAI spells them.
  if (typeof effort === 'string') canonical.reasoning_effort = effort as ChatRequest['reasoning_effort'];
  if (request.include?.includes(logprobsInclude)) {
    canonical.logprobs = true;
    if (typeof request.top_logprobs === 'number') canonical.top_logprobs = request.top_logprobs;
  }
  if (typeof request.user === 'string' && request.user !== '') canonical.user = request.user;
  if (typeof request.safety_identifier === 'string') canonical.safety_identifier = request.safety_identifier;
  if (typeof request.service_tier === 'string') canonical.service_tier = request.service_tier;
  if (typeof request.prompt_cache_key === 'string') canonical.prompt_cache_key = request.prompt_cache_key;
  if (typeof request.prompt_cache_retention === 'string') canonical.prompt_cache_retention = request.prompt_cache_retention;
  return canonical;
}
