import type { ResponsesEcho, ResponsesError, ResponsesOutputItem, ResponsesResponse, ResponsesStatus, ResponsesUsage } from './responses-api.ts';

/** What a Response holds beyond the echoed request fields. */
export interface ResponseState {
  id: string;
  /** Seconds since the epoch. */
  createdAt: number;
  model: string;
  status: ResponsesStatus;
  incompleteDetails: ResponsesResponse['incomplete_details'];
  error: ResponsesError | null;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  /** The tier that served the call, as the provider reported it (usage.service_tier); else the requested one is echoed. */
  servedTier?: string | undefined;
}

const serviceTiers: ReadonlySet<string> = new Set(['auto', 'default', 'flex', 'scale', 'priority']);

/**
 * A Response object: its own state and the request fields it repeats, in the order OpenAI writes
 * them. Shared by the complete answer and every lifecycle event of a stream.
 */
export function buildResponsesResponse(echo: ResponsesEcho, state: ResponseState): ResponsesResponse {
  const response: ResponsesResponse = {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    background: false,
    error: state.error,
    incomplete_details: state.incompleteDetails,
    instructions: echo.instructions,
    max_output_tokens: echo.max_output_tokens,
    max_tool_calls: echo.max_tool_calls,
    model: state.model,
    output: state.output,
    parallel_tool_calls: echo.parallel_tool_calls,
    previous_response_id: null,
    reasoning: echo.reasoning,
    safety_identifier: echo.safety_identifier,
    // OpenAI answers with the tier that served, which "may be different from the value set in the parameter".
    service_tier: state.servedTier !== undefined && serviceTiers.has(state.servedTier) ? (state.servedTier as ResponsesResponse['service_tier']) : echo.service_tier,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_logprobs: echo.top_logprobs,
    top_p: echo.top_p,
    truncation: echo.truncation,
    usage: state.usage,
    metadata: echo.metadata,
  };
  if (echo.user !== undefined) response.user = echo.user;
  return response;
}
