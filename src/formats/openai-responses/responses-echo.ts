import type { ResponsesClientRequest, ResponsesEcho } from './responses-api.ts';

/**
 * Where the request context keeps what a Response repeats back (ctx.state; the canonical body
 * cannot carry it). Set by the data plane when it reads the request, read by the encoder.
 */
export const responsesEchoKey = 'format:openai-responses';

/** What a Response repeats from its request: the client's values, or the Responses API's defaults. */
export function responsesEchoOf(request: ResponsesClientRequest): ResponsesEcho {
  const echo: ResponsesEcho = {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? request.reasoning?.generate_summary ?? null },
    safety_identifier: request.safety_identifier ?? null,
    service_tier: request.service_tier ?? null,
    store: false,
    temperature: request.temperature ?? null,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: (request.tools ?? []).map((tool) => {
      const echoed: ResponsesEcho['tools'][number] = { type: 'function', name: tool.name, parameters: tool.parameters ?? null, strict: tool.strict ?? null };
      if (tool.description !== undefined) echoed.description = tool.description;
      return echoed;
    }),
    top_logprobs: request.top_logprobs ?? null,
    top_p: request.top_p ?? null,
    truncation: request.truncation ?? 'disabled',
    metadata: request.metadata ?? {},
  };
  if (typeof request.text?.verbosity === 'string') echo.text.verbosity = request.text.verbosity;
  if (typeof request.user === 'string') echo.user = request.user;
  return echo;
}

/** The context state a Responses request starts with (createContext's `state`). */
export function responsesRequestState(request: ResponsesClientRequest): Map<string, unknown> {
  return new Map<string, unknown>([[responsesEchoKey, responsesEchoOf(request)]]);
}

/** The echo a request's context holds; the defaults when it holds none (a context made elsewhere). */
export function responsesEchoIn(state: ReadonlyMap<string, unknown>): ResponsesEcho {
  return (state.get(responsesEchoKey) as ResponsesEcho | undefined) ?? responsesEchoOf({ model: '', input: '' });
}
