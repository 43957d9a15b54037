import type { ChatRequest } from '../canonical/chat.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { convertFromResponsesRequest } from '../formats/openai-responses/convert-from-responses-request.ts';
import { parseResponsesRequest } from '../formats/openai-responses/parse-responses-request.ts';
import { needsNativeResponses, readNativeResponsesRequest } from '../formats/openai-responses/read-native-responses-request.ts';
import { responsesRequestState } from '../formats/openai-responses/responses-echo.ts';
import { isObject, type JsonObject } from '../formats/openai-responses/check-fields.ts';
import { errors } from '../errors/catalogue.ts';
import type { NativeResponsesClients } from '../providers/native-responses/native-responses-client.ts';
import type { Provider, ProviderCall, ProviderReply } from '../providers/provider.ts';
import type { RequestContext } from './context.ts';

/**
 * A Responses request served natively (src/formats/openai-responses/README.md, Native mode): only
 * an `openai` or `azure` target can take it, and it gets the client's bytes.
 */
export interface NativeResponses {
  /** The translation's refusal (naming the field): the answer when no target can serve the request natively. */
  readonly refusal: GatewayError;
  readonly clients: NativeResponsesClients;
}

const nativeResponsesKey = 'pipeline:native-responses';

/** The native-mode state of a request (ctx.state), or undefined for every other request. */
export function nativeResponsesOf(ctx: RequestContext): NativeResponses | undefined {
  return ctx.state.get(nativeResponsesKey) as NativeResponses | undefined;
}

/**
 * A Responses request body as the pipeline takes it: translated (every request the translation
 * accepts, as before), or, when the translation refuses it for something only OpenAI's own API
 * does and native mode is available (`clients`), the canonical view plugins read, with the state
 * that makes the pipeline send the client's bytes to an `openai` or `azure` target.
 */
export function readResponsesBody(parsed: unknown, clients: NativeResponsesClients | undefined, options: { native?: 'header' | 'input_tokens' } = {}): { body: ChatRequest; state: Map<string, unknown> } {
  // A background response's usage is known only when it is polled: the gateway could not meter or
  // limit it, so it is refused natively too (the translation's own refusal).
  if (isObject(parsed) && parsed.background === true) throw backgroundRefusal();
  // Asked for (the x-tollgate-responses: native header), or POST /v1/responses/input_tokens (OpenAI's count, serve-stored-responses.ts).
  if (options.native !== undefined && clients !== undefined && isObject(parsed)) {
    const refusal = options.native === 'header' ? nativeAskedRefusal() : errors.operationNotSupported('this route', 'input_tokens (served by openai and azure providers only)');
    return { body: readNativeResponsesRequest(parsed), state: new Map<string, unknown>([[nativeResponsesKey, { refusal, clients }]]) };
  }
  try {
    const request = parseResponsesRequest(parsed);
    return { body: convertFromResponsesRequest(request), state: responsesRequestState(request) };
  } catch (error) {
    if (clients === undefined || !(error instanceof GatewayError) || !needsNativeResponses(error)) throw error;
    const native: NativeResponses = { refusal: error, clients };
    return { body: readNativeResponsesRequest(parsed as JsonObject), state: new Map<string, unknown>([[nativeResponsesKey, native]]) };
  }
}

function backgroundRefusal(): GatewayError {
  return errors.unsupportedValue('background', "'background: true' runs the response in OpenAI's service, its usage known only when it is fetched later: the gateway could not meter it or hold it to rate limits and budgets. Stream the response instead.");
}

/** The header that asks for native mode for a request the translation would take (a previous_response_id chain's first turn). */
export const nativeResponsesHeader = 'x-tollgate-responses';

/** The answer to a request that asked for native mode when no target can serve it. */
function nativeAskedRefusal(): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'unsupported_operation', message: `'${nativeResponsesHeader}: native' asks for OpenAI's own Responses API, which only openai and azure providers serve; this model has none.` });
}

/** Whether `provider` can serve the request: any, unless it is served natively (then openai and azure only). */
export function servesRequest(ctx: RequestContext, provider: Provider): boolean {
  const native = nativeResponsesOf(ctx);
  return native === undefined || native.clients.for(provider) !== null;
}

/** The refusal for a target that cannot serve a native request (the translation's own 400), else null. */
export function nativeRefusalFor(ctx: RequestContext, provider: Provider): GatewayError | null {
  const native = nativeResponsesOf(ctx);
  return native === undefined || native.clients.for(provider) !== null ? null : native.refusal;
}

/** A group ended because none of its targets can serve the request natively: the next group (a fallback) may. */
export function isNativeRefusal(ctx: RequestContext, error: GatewayError): boolean {
  return nativeResponsesOf(ctx)?.refusal === error;
}

/** One attempt's call: to the provider's adapter, or, served natively, the client's bytes to its Responses API. */
export function sendToProvider(ctx: RequestContext, provider: Provider, call: ProviderCall): Promise<ProviderReply> {
  const native = nativeResponsesOf(ctx);
  if (native === undefined) return provider.send(call);
  // The canonical view of a native request is for plugins only: it never goes to a provider.
  const client = native.clients.for(provider);
  if (client === null) return Promise.reject(native.refusal);
  return client.create({ model: call.model, rawBody: ctx.rawBody, rawModelUnchanged: call.model === ctx.requestedModel, stream: ctx.stream, apiKey: call.apiKey, signal: call.signal, upstreamHeaders: call.upstreamHeaders });
}
