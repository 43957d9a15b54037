import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { readNativeResponsesRequest } from '../formats/openai-responses/read-native-responses-request.ts';
import { isObject } from '../formats/openai-responses/check-fields.ts';
import { methodsFor, type StoredResponseOperation } from '../formats/openai-responses/stored-response-paths.ts';
import { credentialFor } from '../pipeline/call-provider.ts';
import type { CompiledPipeline } from '../pipeline/compile-pipeline.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { clientAbortSignal, createContext } from '../pipeline/create-context.ts';
import { handleLocalAnswer } from '../pipeline/handle-request.ts';
import { checkNativeResponsesPlugins } from '../pipeline/native-responses-plugins.ts';
import { readResponsesBody } from '../pipeline/native-responses.ts';
import { bodyWithModel, type NativeResponsesClient } from '../providers/native-responses/native-responses-client.ts';
import type { RoutePlan } from '../routing/router.ts';
import type { DataPlaneRuntime } from './data-plane-server.ts';
import { readBody } from './read-body.ts';
import { writeClientError } from './write-response.ts';

/** The request header a client names the provider with when several could hold its stored responses. */
export const storedResponsesProviderHeader = 'x-tollgate-provider';

export interface StoredResponsesRequest {
  request: IncomingMessage;
  response: ServerResponse;
  id: string;
  path: string;
  operation: StoredResponseOperation;
  runtime: DataPlaneRuntime;
  logger: Logger;
  /** Logs an answer written without a context (a wrong method, a body that could not be read). */
  logRefusal: (error: GatewayError, bytesOut: number) => void;
}

/**
 * OpenAI's stored-response endpoints (`GET`/`DELETE /v1/responses/{id}`, `POST …/cancel`,
 * `GET …/input_items`) and `POST /v1/responses/input_tokens`, forwarded to an `openai` or `azure`
 * provider's Responses API. An id names no model, so the provider is the one such provider the
 * configuration has (with a credential, or BYOK), or the one the client names with
 * `x-tollgate-provider` when there are several; none: 404 as before. input_tokens is routed by its
 * `model`, to the first openai/azure target of the model's groups. Authentication runs as for a
 * model request (a key limited to some models must allow `<provider>/*`); no limits are counted and
 * the usage ledger records nothing (no tokens are generated). The answer is the provider's JSON.
 */
export async function serveStoredResponses(call: StoredResponsesRequest): Promise<void> {
  const { request, response, operation, runtime } = call;
  const method = request.method ?? '';
  if (!methodsFor(operation).includes(method)) {
    const error = errors.methodNotAllowed(method, call.path, methodsFor(operation));
    return call.logRefusal(error, writeError(response, error, call.id));
  }
  const clients = runtime.nativeResponses;
  if (clients === undefined) {
    const error = errors.notFound(method, call.path);
    return call.logRefusal(error, writeError(response, error, call.id));
  }
  let rawBody: Buffer = Buffer.alloc(0);
  let model = '';
  try {
    rawBody = await readBody(request, runtime.bodyLimit);
    if (operation.kind === 'input_tokens') model = modelOf(rawBody);
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : errors.internal();
    return call.logRefusal(gatewayError, writeError(response, gatewayError, call.id));
  }
  let client: NativeResponsesClient | null = null;
  if (operation.kind !== 'input_tokens') {
    const picked = pickProvider(runtime, request.headers[storedResponsesProviderHeader], method, call.path);
    if (picked instanceof GatewayError) return call.logRefusal(picked, writeError(response, picked, call.id));
    client = picked;
    // The model a key's allow-list is checked against: the whole provider.
    model = `${client.provider.settings.name}/*`;
  }
  const ctx = createContext({ id: call.id, request, path: call.path, clientFormat: 'openai', operation: 'chat', rawBody, body: { model, messages: [] }, signal: clientAbortSignal(response), logger: call.logger });
  ctx.endpoint = 'stored_response';
  const query = queryStringOf(request.url);
  return handleLocalAnswer(
    ctx,
    runtime,
    response,
    async (plan) => {
      if (operation.kind === 'input_tokens') return countInputTokens(ctx, plan, runtime, query);
      return forward(ctx, client!, operation, method === 'DELETE' ? 'DELETE' : operation.method, runtime, query);
    },
    { route: operation.kind === 'input_tokens' },
  );
}

async function forward(ctx: RequestContext, client: NativeResponsesClient, operation: StoredResponseOperation, method: 'GET' | 'POST' | 'DELETE', runtime: DataPlaneRuntime, query: string): Promise<unknown> {
  const provider = client.provider;
  // Resuming a background response's stream (?stream=true&starting_after=N): the answer is an event stream, which this path does not relay; background responses are not served anyway.
  if (operation.kind === 'retrieve' && method === 'GET' && new URLSearchParams(query).get('stream') === 'true') {
    throw errors.unsupportedValue('stream', "Streaming a stored response (resuming a background response's stream) is not served: retrieve it whole, without 'stream=true'.");
  }
  const body = method === 'POST' && ctx.rawBody.length > 0 ? ctx.rawBody : null;
  const answer = await client.stored({ method, suffix: operation.suffix, query, body, apiKey: credentialFor(ctx, provider, runtime.requiresKey, runtime.storedCredential), signal: ctx.signal });
  ctx.responseHeaders = { ...ctx.responseHeaders, ...answer.headers, 'x-tollgate-provider': provider.settings.name };
  delete ctx.responseHeaders['content-type'];
  return parsed(answer.body, provider.settings.name);
}

/**
 * input_tokens: the request's guardrails run on what the gateway can read of it (as for a native
 * request, native-responses-plugins.ts: one that would change it is refused rather than sent), then
 * the client's body goes, with the target's model, to the first openai/azure target of its groups.
 */
async function countInputTokens(ctx: RequestContext, plan: RoutePlan | null, runtime: DataPlaneRuntime, query: string): Promise<unknown> {
  if (plan === null || runtime.nativeResponses === undefined) throw errors.modelNotFound(ctx.requestedModel);
  const read = readResponsesBody(JSON.parse(ctx.rawBody.toString('utf8')), runtime.nativeResponses, { native: 'input_tokens' });
  ctx.body = read.body;
  for (const [key, value] of read.state) ctx.state.set(key, value);
  const pipeline: CompiledPipeline = runtime.pipelineForCaller?.(plan.route, ctx.caller) ?? runtime.pipelineFor(plan.route);
  for (const plugin of pipeline.onRequest ?? []) {
    if (plugin.priority < 1000 || plugin.priority >= 2000) continue;
    const pending = plugin.onRequest!(ctx);
    if (pending instanceof Promise) await pending;
  }
  checkNativeResponsesPlugins(ctx, pipeline);
  const decision = plan.router.decide(plan, ctx);
  for (const group of decision.groups) {
    for (const target of group.order(group.targets, { request: ctx, facts: decision.facts, now: performance.now() })) {
      const client = runtime.nativeResponses.for(target.provider);
      if (client === null) continue;
      ctx.target = target;
      ctx.attempts = 1;
      // The target's model, as a native create sends it (a body whose model the byte rewrite cannot reach is re-encoded, never sent with the client's name).
      const body = Buffer.from(bodyWithModel({ rawBody: ctx.rawBody, model: target.model, rawModelUnchanged: target.model === ctx.requestedModel }));
      const answer = await client.stored({ method: 'POST', suffix: '/input_tokens', query, body, apiKey: credentialFor(ctx, target.provider, runtime.requiresKey, runtime.storedCredential), signal: ctx.signal });
      ctx.responseHeaders = { ...ctx.responseHeaders, ...answer.headers };
      delete ctx.responseHeaders['content-type'];
      return parsed(answer.body, target.provider.settings.name);
    }
  }
  throw errors.operationNotSupported(plan.route?.name ?? ctx.requestedModel, 'input_tokens (served by openai and azure providers only)');
}

/** The openai or azure provider a stored response is asked of: the only usable one, or the one the client names. */
function pickProvider(runtime: DataPlaneRuntime, named: string | string[] | undefined, method: string, path: string): NativeResponsesClient | GatewayError {
  const usable = (runtime.nativeResponses?.all() ?? []).filter((client) => !runtime.requiresKey(client.provider) || client.provider.settings.byok);
  if (typeof named === 'string' && named !== '') {
    const client = usable.find((candidate) => candidate.provider.settings.name === named);
    return client ?? errors.invalidRequest(`No openai or azure provider named '${named}' can serve stored responses (${storedResponsesProviderHeader}).`, storedResponsesProviderHeader);
  }
  if (usable.length === 1) return usable[0];
  if (usable.length === 0) return errors.notFound(method, path);
  const names = usable.map((client) => `'${client.provider.settings.name}'`).join(', ');
  return errors.invalidRequest(`Several providers may hold this response (${names}): name one in the ${storedResponsesProviderHeader} header.`, storedResponsesProviderHeader);
}

function modelOf(body: Buffer): string {
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw errors.invalidJson((error as Error).message);
  }
  if (!isObject(parsedBody)) throw errors.invalidRequest('The request body must be a JSON object.');
  return readNativeResponsesRequest(parsedBody).model;
}

function parsed(body: Buffer, provider: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw errors.upstreamBadResponse(provider, 'the body is not JSON');
  }
}

/**
 * The client's query as forwarded: `api-version` left out (an AzureOpenAI client sends its own on
 * every call; the gateway ignores it, and an `azure` provider sends the one of its config).
 */
function queryStringOf(url: string | undefined): string {
  const start = url?.indexOf('?') ?? -1;
  if (start === -1) return '';
  const query = url!.slice(start + 1);
  if (!query.includes('api-version')) return query;
  const params = new URLSearchParams(query);
  params.delete('api-version');
  return params.toString();
}

function writeError(response: ServerResponse, error: GatewayError, id: string): number {
  return writeClientError(response, 'openai', error, { 'x-request-id': id });
}
