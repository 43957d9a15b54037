import type { ChatChunk, ChatRequest, ChatResponse } from '../../canonical/chat.ts';
import type { CanonicalChunk, CanonicalResponse } from '../../canonical/operation.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { convertToResponsesResponse } from './convert-to-responses-response.ts';
import { responsesEchoIn } from './responses-echo.ts';
import { ResponsesStreamEncoder } from './responses-stream-encoder.ts';

/**
 * How the pipeline writes canonical replies to a Responses API client: a Response object, or the
 * Responses event stream (one encoder per response; it keeps the item state). The usage chunk is
 * always wanted: its numbers go into response.completed. `state` is the request context's, where
 * the data plane left the request fields a Response repeats (responses-echo.ts).
 */
export function responsesClientEncoder(request: ChatRequest, state: ReadonlyMap<string, unknown>): {
  wantsUsage: true;
  response(body: CanonicalResponse): unknown;
  chunk(chunk: CanonicalChunk): string;
  end(): string;
  error(error: GatewayError): string;
} {
  const echo = responsesEchoIn(state);
  let stream: ResponsesStreamEncoder | null = null;
  const encoder = (): ResponsesStreamEncoder => (stream ??= new ResponsesStreamEncoder({ model: request.model, echo }));
  return {
    wantsUsage: true,
    response: (body) => convertToResponsesResponse(body as ChatResponse, echo),
    chunk: (chunk) => encoder().push(chunk as ChatChunk),
    end: () => encoder().finish(),
    error: (error) => encoder().error(error),
  };
}
