import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { isForwardedOperation, isMultipartOperation } from '../canonical/forwarded.ts';
import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { convertFromAnthropicRequest } from '../formats/anthropic/convert-from-anthropic-request.ts';
import { anthropicModelInfo, anthropicModelList } from '../formats/anthropic/anthropic-models.ts';
import { countAnthropicTokens } from '../formats/anthropic/count-tokens.ts';
import { parseAnthropicRequest } from '../formats/anthropic/parse-anthropic-request.ts';
import { openAIModelList, retrieveOpenAIModel } from '../formats/openai/models-list.ts';
import { parseOpenAIRequest } from '../formats/openai/parse-request.ts';
import { formWithDeployment, jsonWithDeployment } from '../formats/openai/deployment-model.ts';
import { parseUploadForm } from '../formats/openai-forwarded/parse-upload-form.ts';
import { servePromptApi, type PromptApiOwnAnswer, type PromptApiRuntime } from '../formats/prompt-api/serve-prompt-api.ts';
import type { LocalEndpoint } from '../pipeline/context.ts';
import { clientAbortController, clientAbortSignal, createContext } from '../pipeline/create-context.ts';
import { deliverForwardedReply } from '../pipeline/deliver-forwarded-reply.ts';
import { deliverReply } from '../pipeline/deliver-reply.ts';
import { deliverResponsesReply } from '../pipeline/deliver-native-responses-reply.ts';
import { nativeResponsesHeader, readResponsesBody } from '../pipeline/native-responses.ts';
import { storedResponseOperationOf } from '../formats/openai-responses/stored-response-paths.ts';
import { serveStoredResponses } from './serve-stored-responses.ts';
import type { NativeResponsesClients } from '../providers/native-responses/native-responses-client.ts';
import { handleLocalAnswer, handleModelRequest, logAnswer, type PipelineRuntime } from '../pipeline/handle-request.ts';
import type { ModelListing } from '../routing/router.ts';
import { deploymentOf, useOwnPath } from './azure-paths.ts';
import { anthropicPaths, clientFormatOf, isModelsPath, modelsPrefixOf, operationsByPath, ownUsagePaths, queryOf } from './endpoint-paths.ts';
import { createServer } from './node-http.ts';
import { pathOf, useOriginForm } from './path-of.ts';
import { compileAllowedHosts, type AllowedHosts } from './allowed-hosts.ts';
import { browserOriginRefusal } from './browser-origin.ts';
import { applyCors, type CorsPolicy } from './cors.ts';
import { keysNamedOnceOf, repeatedGuardedKey } from './duplicate-guarded-keys.ts';
import { maxJsonDepth, nestsTooDeep } from './json-depth.ts';
import { discardRestOfBody, readBody, refusalBeforeBody } from './read-body.ts';
import { bodyFailureOf, connectionErrorOf, noteBodyFailure, rawErrorAnswer, responseInFlight, type ConnectionFailure } from './client-error.ts';
import { defaultMaxHeaderSize } from './node-http.ts';
import { headersTimedOut, headerTimeoutOf } from './header-timeout.ts';
import { refuseConnect } from './connect-refusal.ts';
import { missingHostRefusal, ownHostCheck } from './missing-host.ts';
import { writeClientError, writeJson } from './write-response.ts';

/** What the data plane reads from the current configuration on every request. */
export interface DataPlaneRuntime extends PipelineRuntime {
  bodyLimit: number;
  /** Browser origins allowed to call (server.cors); null: no CORS headers, and no web page may call. */
  readonly cors?: CorsPolicy | null;
  /** Host names answered besides IP addresses and localhost (server.allowed_hosts; allowed-hosts.ts). */
  readonly allowedHosts?: readonly string[];
  listModels(): ModelListing[];
  /** The running configuration: prompt APIs read its `apis:` section (src/formats/prompt-api/). */
  readonly loaded?: PromptApiRuntime['loaded'];
  /** The openai and azure providers' own Responses API, for Responses requests only it can serve (native mode); absent: none are. */
  readonly nativeResponses?: NativeResponsesClients;
  /** A refusal decided from the headers, before the body is read (Runtime.refusalBeforeBody). */
  refusalBeforeBody?(headers: IncomingMessage['headers']): GatewayError | null;
}

export interface DataPlaneOptions {
  runtime: () => DataPlaneRuntime;
  logger: Logger;
  keepAliveTimeout: number;
  /** Longest time a client may take to send a whole request, body included (server.request_timeout); 0: no limit. */
  requestTimeout?: number;
  onInFlightChange?: (delta: number) => void;
  /** `GET /v1/tollgate/usage`: the caller's own usage (src/plugins/usage-ledger/own-usage-endpoint.ts); absent without a store. */
  ownUsage?: (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void>;
}

/** What a request the data plane answers itself was for: the model operation its path names, or else what it asked (RequestContext.endpoint). */
type AnswerKind = { operation: Operation; endpoint?: undefined } | { operation?: undefined; endpoint: LocalEndpoint };

function answerKindOf(path: string): AnswerKind {
  const anthropicEndpoint = anthropicPaths[path];
  if (anthropicEndpoint === 'count_tokens') return { endpoint: 'count_tokens' };
  if (anthropicEndpoint === 'messages') return { operation: 'chat' };
  const operation = operationsByPath[path];
  if (operation !== undefined) return { operation };
  if (ownUsagePaths.has(path)) return { endpoint: 'own_usage' };
  if (isModelsPath(path)) return { endpoint: 'models' };
  return { endpoint: 'other' };
}

/** A request the data plane answered itself, before or outside any pipeline: what its log phase reads. */
type OwnAnswer = AnswerKind & {
  id: string;
  error?: GatewayError | null;
  /** The body as read, when it was. */
  rawBody?: Buffer;
  bytesOut: number;
  /** The status to log, when not the response's (499: the client left before it was answered). */
  status?: number;
};

const noBody = Buffer.alloc(0);
/** The headers of a request the parser refused before it had any (its log phase's stand-in request). */
const noHeaders: IncomingMessage['headers'] = {};
/** The signal of a context made only for the log phase: nothing is left to abort. */
const neverAborted = new AbortController().signal;

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/** A model id from a URL path; one with a malformed escape (`%E0`) is looked up as written (and not found) rather than failing. */
function decodedModelId(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The methods the model endpoints take (HEAD answers as GET, without the body), and the others. */
const readMethods = ['GET', 'HEAD'];
const writeMethods = ['POST'];

/** Platforms whose SO_REUSEPORT spreads connections over the sockets (Node's `reusePort` list). */
const balancedReusePort = new Set<NodeJS.Platform>(['linux', 'freebsd', 'sunos', 'aix']);

/** Resolves when one of `waiters` is called (the server calls them all when what they wait for is done), or after `ms`. */
async function calledOrAfter(waiters: Array<() => void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** How long requests the gateway ended at a stop get to write their last bytes and run their log phase. */
const endGraceMs = 2000;

/**
 * The data-plane listener (node:http): parses the request, builds the context and hands it to
 * the pipeline. Counts requests in flight so shutdown can drain them.
 */
export class DataPlaneServer {
  readonly server: Server;
  #inFlight = 0;
  #draining = false;
  #idleWaiters: Array<() => void> = [];
  /** Model requests being handled (until their log phase has run), by the abort that ends them. */
  readonly #running = new Set<AbortController>();
  #doneWaiters: Array<() => void> = [];
  readonly #options: DataPlaneOptions;
  /** The address listened on: whether it is a loopback one decides the Host check (allowed-hosts.ts). */
  #bindAddress = '0.0.0.0';
  /** The Host policy of the current runtime's `server.allowed_hosts`, compiled on its first request. */
  #hosts: { entries: readonly string[] | undefined; policy: AllowedHosts } | null = null;
  /** server.request_timeout in ms (0: off), which the header timeout's 408 names when it set it. */
  #requestTimeout = 0;

  constructor(options: DataPlaneOptions) {
    this.#options = options;
    const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
      useOriginForm(request);
      useOwnPath(request);
      const noHost = missingHostRefusal(request);
      if (noHost !== null) return this.#refuseBeforeBody(request, response, noHost);
      this.#track(response);
      this.#handle(request, response).catch((error: unknown) => {
        options.logger.error({ err: error }, 'unhandled data-plane failure');
        if (!response.headersSent) writeClientError(response, clientFormatOf(pathOf(request.url), request.headers), errors.internal(), {});
        else response.destroy();
      });
    };
    // A body trickled a byte at a time must not hold its connection (and the memory read so far) for
    // ever: Node answers 408 and closes once request_timeout has passed, checked every second. Its
    // headers have a limit of their own (header-timeout.ts), which also ends a connection that never
    // sends a request (#onClientError: silently).
    const requestTimeout = options.requestTimeout ?? 0;
    this.#requestTimeout = requestTimeout;
    this.server = createServer({ ...ownHostCheck, keepAliveTimeout: options.keepAliveTimeout, requestTimeout, headersTimeout: headerTimeoutOf(requestTimeout), connectionsCheckingInterval: 1000 }, onRequest);
    // `Expect: 100-continue`: Node would send 100 at once; a body the headers already refuse (an
    // unauthenticated caller, too large, an unknown coding) gets its final answer instead, so the
    // client never uploads it (RFC 9110 §10.1.1), and a draining gateway answers its 503 without
    // asking for the body.
    this.server.on('checkContinue', (request, response) => {
      useOriginForm(request);
      useOwnPath(request);
      const refusal = missingHostRefusal(request) ?? (this.#draining ? null : this.#refusalFromHeaders(request));
      if (refusal !== null) return this.#refuseBeforeBody(request, response, refusal);
      if (!this.#draining) response.writeContinue();
      onRequest(request, response);
    });
    this.server.on('clientError', (failure: ConnectionFailure, socket: Duplex) => this.#onClientError(failure, socket));
    this.server.on('connect', refuseConnect);
    // Any other expectation: the 417 Node would send bare, as the client's error object.
    this.server.on('checkExpectation', (request, response) => {
      useOriginForm(request);
      this.#refuseBeforeBody(request, response, missingHostRefusal(request) ?? errors.expectationFailed(String(request.headers.expect)));
    });
  }

  /**
   * What the headers of a request that asks before sending its body already decide, in the order
   * #handle decides it for one that does not ask: a model request the one authentication plugin
   * of every route refuses from its headers gets that 401 before its size matters; then a declared
   * size over the limit (413) or a coding the gateway cannot decode (415).
   */
  #refusalFromHeaders(request: IncomingMessage): GatewayError | null {
    const runtime = this.#options.runtime();
    const misdirected = this.#browserRefusal(request, runtime);
    if (misdirected !== null) return misdirected;
    const path = pathOf(request.url);
    if (request.method === 'POST' && (operationsByPath[path] !== undefined || anthropicPaths[path] !== undefined)) {
      const unauthenticated = runtime.refusalBeforeBody?.(request.headers) ?? null;
      if (unauthenticated !== null) return unauthenticated;
    }
    return refusalBeforeBody(request, runtime.bodyLimit);
  }

  /**
   * A request that reached this listener by a name it does not answer for (DNS rebinding,
   * allowed-hosts.ts), or that a web page on an origin server.cors does not list sent
   * (browser-origin.ts): refused before anything else, the preflight included.
   */
  #browserRefusal(request: IncomingMessage, runtime: DataPlaneRuntime): GatewayError | null {
    const entries = runtime.allowedHosts;
    if (this.#hosts === null || this.#hosts.entries !== entries) this.#hosts = { entries, policy: compileAllowedHosts(this.#bindAddress, entries ?? []) };
    if (!this.#hosts.policy.allows(request.headers.host)) return errors.hostNotAllowed(request.headers.host!, 'server.allowed_hosts');
    return browserOriginRefusal(request.headers, runtime.cors);
  }

  /**
   * A connection Node's parser gave up on (malformed HTTP, headers past the size limit, a chunked
   * body it cannot read), whose request did not arrive in time, or that failed (a reset). Node
   * would answer bare text; here the client gets the error object and the failure is recorded as
   * what it is, never as the gateway's 500. A request whose body was being read is answered through
   * its response, and its own log phase reports it (#handle, from bodyFailureOf); one that never
   * became a request gets the answer written to the socket and an access line of its own. Either
   * way the connection is closed, as Node closes it: nothing read after a parser error can be
   * trusted. A client that left costs no answer and, between requests, no line.
   *
   * Node times out a request's headers (headersTimeout) and the whole request (requestTimeout)
   * with the same error, and puts a new connection on the headers' clock before its first byte (a
   * guard against connections that never send anything). So with no request being answered the
   * headers were awaited: a connection that has sent nothing at all (a client pool's spare
   * connection, a pre-connected socket) is idle, not late, and is closed silently, as a
   * keep-alive connection idle between requests is at keep_alive_timeout (Node's own timer: such a
   * connection is off the headers' clock), and as nginx closes one at client_header_timeout. A 408
   * written to it would be read by the next request a client pool sends on it. One whose headers
   * started gets the 408, naming the header timeout rather than server.request_timeout.
   */
  #onClientError(failure: ConnectionFailure, socket: Duplex): void {
    const response = responseInFlight(socket);
    const awaitedHeaders = failure.code === 'ERR_HTTP_REQUEST_TIMEOUT' && response === null;
    if (awaitedHeaders && (socket as Socket).bytesRead === 0) {
      socket.destroy();
      return;
    }
    const error = awaitedHeaders ? headersTimedOut(this.#requestTimeout) : connectionErrorOf(failure, defaultMaxHeaderSize);
    const answerable = error.status !== 499 && socket.writable && !socket.destroyed;
    if (response !== null) {
      const request = response.req;
      // A pipelined request that broke while the one before is answered: only the connection goes.
      if (!request.complete && !response.headersSent) {
        let id: string | null = null;
        let bytesOut = 0;
        if (answerable) {
          id = requestIdOf(request);
          response.setHeader('connection', 'close');
          bytesOut = writeClientError(response, clientFormatOf(pathOf(request.url), request.headers), error, { 'x-request-id': id });
        }
        noteBodyFailure(socket, { error, id, bytesOut });
        // Its reader hears of it (a request answered already would never hear the close).
        request.destroy(error);
      }
      socket.destroy();
      return;
    }
    if (!answerable) {
      socket.destroy();
      return;
    }
    const id = randomUUID();
    const answer = rawErrorAnswer(error, id);
    socket.end(answer);
    socket.destroy();
    const stand = { method: '-', headers: noHeaders, socket: socket as Socket };
    const ctx = createContext({ id, request: stand, path: '-', clientFormat: 'openai', operation: 'chat', rawBody: noBody, body: { model: '', messages: [] }, signal: neverAborted, logger: this.#options.logger });
    ctx.endpoint = 'other';
    ctx.status = error.status;
    ctx.error = error;
    ctx.bytesOut = Buffer.byteLength(answer);
    logAnswer(ctx, this.#options.runtime());
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  #track(response: ServerResponse): void {
    this.#inFlight++;
    this.#options.onInFlightChange?.(1);
    response.once('close', () => {
      this.#inFlight--;
      this.#options.onInFlightChange?.(-1);
      if (this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }

  /**
   * Answers a request whose body is not wanted, without reading it; the connection closes after
   * the answer, whatever of the body the client may still send.
   */
  #refuseBeforeBody(request: IncomingMessage, response: ServerResponse, refusal: GatewayError): void {
    this.#track(response);
    response.setHeader('connection', 'close');
    const id = requestIdOf(request);
    const path = pathOf(request.url);
    const clientFormat = clientFormatOf(path, request.headers);
    const bytesOut = writeClientError(response, clientFormat, refusal, { 'x-request-id': id });
    this.#logOwnAnswer(request, response, this.#options.runtime(), { ...answerKindOf(path), id, error: refusal, bytesOut });
  }

  /**
   * The log phase of a request answered here rather than by a pipeline (a refused or unreadable
   * body, a wrong method, an unknown path, a preflight, a draining node, the own-usage endpoint):
   * a context made for it alone, after the answer is written. Only these paths pay for it.
   */
  #logOwnAnswer(request: IncomingMessage, response: ServerResponse, runtime: DataPlaneRuntime, answer: OwnAnswer): void {
    const path = pathOf(request.url);
    const ctx = createContext({ id: answer.id, request, path, clientFormat: clientFormatOf(path, request.headers), operation: answer.operation ?? 'chat', rawBody: answer.rawBody ?? noBody, body: { model: '', messages: [] }, signal: neverAborted, logger: this.#options.logger });
    if (answer.endpoint !== undefined) ctx.endpoint = answer.endpoint;
    ctx.status = answer.status ?? response.statusCode;
    ctx.error = answer.error ?? null;
    ctx.bytesOut = answer.bytesOut;
    logAnswer(ctx, runtime);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = requestIdOf(request);
    const path = pathOf(request.url);
    const anthropicEndpoint = anthropicPaths[path];
    const clientFormat = clientFormatOf(path, request.headers);
    const writeError = (error: GatewayError, headers: Record<string, string>) => writeClientError(response, clientFormat, error, headers);
    const runtime = this.#options.runtime();
    const misdirected = this.#browserRefusal(request, runtime);
    if (misdirected !== null) return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error: misdirected, bytesOut: writeError(misdirected, { 'x-request-id': id }) });
    const origin = request.headers.origin;
    if (origin !== undefined && runtime.cors && applyCors(runtime.cors, request, response, origin)) return this.#logOwnAnswer(request, response, runtime, { id, endpoint: 'preflight', bytesOut: 0 });
    if (this.#draining) {
      response.setHeader('connection', 'close');
      const error = errors.shuttingDown();
      return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error, bytesOut: writeError(error, { 'x-request-id': id }) });
    }
    const operation: Operation | undefined = anthropicEndpoint === undefined ? operationsByPath[path] : 'chat';
    if (operation === undefined) {
      if (this.#options.ownUsage && ownUsagePaths.has(path)) {
        await this.#options.ownUsage(request, response, id);
        return this.#logOwnAnswer(request, response, runtime, { id, endpoint: 'own_usage', bytesOut: 0 });
      }
      // Prompt APIs (`apis:`) and their OpenAPI document; a path under /apis/ that is neither gets the 404 below.
      if (path.startsWith('/apis/')) {
        const logOwnAnswer = (answer: PromptApiOwnAnswer) =>
          this.#logOwnAnswer(request, response, runtime, { ...(answer.kind === 'document' ? { endpoint: 'prompt_api' } : { operation: 'chat' }), id, error: answer.error ?? null, rawBody: answer.rawBody, bytesOut: answer.bytesOut, status: answer.status });
        if (await servePromptApi({ request, response, id, path, runtime, logger: this.#options.logger, logOwnAnswer })) return;
      }
      const modelPrefix = modelsPrefixOf(path);
      if (path === '/v1/models' || path === '/models' || modelPrefix !== null) {
        // HEAD is answered as GET: node:http leaves the body out and keeps its Content-Length.
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          const error = errors.methodNotAllowed(request.method ?? '', path, readMethods);
          return this.#logOwnAnswer(request, response, runtime, { id, endpoint: 'models', error, bytesOut: writeError(error, { 'x-request-id': id }) });
        }
        // The model list is behind the same authentication as the models themselves.
        const wanted = modelPrefix === null ? null : decodedModelId(path.slice(modelPrefix.length));
        const ctx = createContext({ id, request, path, clientFormat, operation: 'chat', rawBody: Buffer.alloc(0), body: { model: wanted ?? '', messages: [] }, signal: clientAbortSignal(response), logger: this.#options.logger });
        ctx.endpoint = 'models';
        return handleLocalAnswer(ctx, runtime, response, () => {
          const allows = ctx.caller.allowsModel;
          const models = allows ? runtime.listModels().filter((model) => allows(model.id)) : runtime.listModels();
          if (wanted === null) return clientFormat === 'anthropic' ? anthropicModelList(models, queryOf(request.url)) : openAIModelList(models, 0);
          // Any id a request could use, not only the listed ones: a plain name one provider declares, provider/model.
          const model = retrieveOpenAIModel(wanted, models, { resolve: (name) => runtime.router.resolve(name), isUsable: (provider) => !runtime.requiresKey(provider) || provider.settings.byok }, 0);
          return clientFormat === 'anthropic' ? anthropicModelInfo(model.id) : model;
        });
      }
      // OpenAI's stored responses (retrieve, delete, cancel, input items) and input_tokens, on an openai or azure provider.
      const storedOperation = storedResponseOperationOf(path);
      if (storedOperation !== null) {
        const logRefusal = (error: GatewayError, bytesOut: number) => this.#logOwnAnswer(request, response, runtime, { id, endpoint: 'stored_response', error, bytesOut });
        return serveStoredResponses({ request, response, id, path, operation: storedOperation, runtime, logger: this.#options.logger, logRefusal });
      }
      const error = errors.notFound(request.method ?? '', path);
      return this.#logOwnAnswer(request, response, runtime, { id, endpoint: 'other', error, bytesOut: writeError(error, { 'x-request-id': id }) });
    }
    if (request.method !== 'POST') {
      const error = errors.methodNotAllowed(request.method ?? '', path, writeMethods);
      return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error, bytesOut: writeError(error, { 'x-request-id': id }) });
    }

    // A caller the one authentication plugin of every route already refuses from its headers gets
    // that answer without its body being kept: the rest of the body is read and dropped, as for a
    // 413, so its client reads the 401 instead of a reset connection.
    const refusal = runtime.refusalBeforeBody?.(request.headers) ?? null;
    if (refusal !== null) {
      response.setHeader('connection', 'close');
      if (!(await discardRestOfBody(request))) return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error: refusal, bytesOut: 0, status: 499 });
      return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error: refusal, bytesOut: writeError(refusal, { 'x-request-id': id }) });
    }

    let rawBody: Buffer = noBody;
    let body: CanonicalRequest;
    let state: Map<string, unknown> | undefined;
    let bodyRead = false;
    try {
      rawBody = await readBody(request, runtime.bodyLimit);
      bodyRead = true;
      // An Azure-style URL's deployment is the model, whatever the body says (formats/openai/deployment-model.ts).
      const deployment = deploymentOf(request);
      // Uploads (transcriptions, translations, image edits) are forms, forwarded as they came (src/formats/openai-forwarded/).
      if (isMultipartOperation(operation)) {
        if (deployment !== undefined) rawBody = formWithDeployment(rawBody, request.headers['content-type'], deployment);
        body = parseUploadForm(operation, rawBody, request.headers['content-type']);
      } else {
        let parsed: unknown;
        // JSON is UTF-8 (RFC 8259): bytes that are not would be read here as U+FFFD, by the
        // guardrails too, while the provider may get them as sent and read them otherwise.
        if (!isUtf8(rawBody)) throw errors.invalidJson('it is not UTF-8 text');
        try {
          parsed = JSON.parse(rawBody.toString('utf8'));
        } catch (error) {
          throw errors.invalidJson((error as Error).message);
        }
        if (nestsTooDeep(parsed, rawBody.length)) throw errors.nestingTooDeep(maxJsonDepth);
        // Parsers disagree on which of two values counts, and the client's bytes may go upstream as they came:
        // the model routed and priced, and the texts the guardrails read, must be the ones the provider reads.
        const repeated = repeatedGuardedKey(rawBody, keysNamedOnceOf(clientFormat, operation));
        if (repeated !== null) throw errors.duplicateKey(repeated);
        if (deployment !== undefined) ({ parsed, rawBody } = jsonWithDeployment(parsed, rawBody, deployment));
        // Anthropic and Responses requests become canonical here; the client's bytes stay in rawBody for an Anthropic provider.
        if (anthropicEndpoint !== undefined) {
          const dropped = (names: string[]) => this.#options.logger.warn({ requestId: id, dropped: names }, 'values OpenAI-format requests cannot carry are left out when this request is translated');
          body = convertFromAnthropicRequest(parseAnthropicRequest(parsed, { countTokens: anthropicEndpoint === 'count_tokens' }), dropped);
        } else if (clientFormat === 'openai-responses') {
          // Translated, with what the Response repeats in `state`; or, for what only OpenAI's own API does, served natively (native-responses.ts).
          ({ body, state } = readResponsesBody(parsed, runtime.nativeResponses, request.headers[nativeResponsesHeader] === 'native' ? { native: 'header' } : {}));
        } else body = parseOpenAIRequest(operation, parsed);
      }
    } catch (error) {
      // The body did not arrive whole (the client left, its framing broke, request_timeout passed):
      // the client's doing, answered (when it still could be) where it failed (#onClientError).
      const failure = bodyRead ? null : bodyFailureOf(request, error);
      if (failure !== null) {
        return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id: failure.id ?? id, error: failure.error, rawBody, bytesOut: failure.bytesOut, status: failure.error.status });
      }
      const gatewayError = error instanceof GatewayError ? error : errors.internal();
      // After a refused body the connection is not reused; the answer waits for the rest of the body.
      if (gatewayError.status === 413) {
        response.setHeader('connection', 'close');
        if (!(await discardRestOfBody(request))) return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error: gatewayError, rawBody, bytesOut: 0, status: 499 });
      }
      return this.#logOwnAnswer(request, response, runtime, { ...answerKindOf(path), id, error: gatewayError, rawBody, bytesOut: writeError(gatewayError, { 'x-request-id': id }) });
    }

    const abort = clientAbortController(response);
    const ctx = createContext({ id, request, path, clientFormat, operation, rawBody, body, signal: abort.signal, logger: this.#options.logger, state });
    if (anthropicEndpoint === 'count_tokens') {
      ctx.endpoint = 'count_tokens';
      return handleLocalAnswer(ctx, runtime, response, (plan) => countAnthropicTokens(ctx, plan, runtime), { route: true });
    }
    this.#running.add(abort);
    try {
      await handleModelRequest(ctx, runtime, response, isForwardedOperation(operation) ? deliverForwardedReply : clientFormat === 'openai-responses' ? deliverResponsesReply : deliverReply);
    } finally {
      this.#running.delete(abort);
      if (this.#running.size === 0) for (const resolve of this.#doneWaiters.splice(0)) resolve();
    }
  }

  /**
   * Listens; resolves with the port. `ownSocket` (a `server.workers` process): a socket of this
   * process's own with SO_REUSEPORT instead of the cluster's shared one, so the kernel spreads
   * connections evenly over the workers by their addresses. With a shared socket whichever worker
   * wakes first accepts, and a client that opens its keep-alive connections at once (a connection
   * pool, a load generator) can land them all on one worker for as long as they live. Port 0 keeps
   * the shared socket (each worker would get a port of its own), and so do platforms whose
   * SO_REUSEPORT does not balance or that Node refuses it on (macOS, Windows).
   */
  listen(port: number, host: string, options: { ownSocket?: boolean } = {}): Promise<number> {
    const ownSocket = options.ownSocket === true && port !== 0 && balancedReusePort.has(process.platform);
    this.#bindAddress = host;
    this.#hosts = null;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host, exclusive: ownSocket, reusePort: ownSocket }, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /**
   * Graceful stop: refuse new connections, let requests in flight (streams included) finish for
   * up to `drainMs`, then close whatever is left.
   */
  async close(drainMs: number): Promise<void> {
    this.#draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.#inFlight > 0) await calledOrAfter(this.#idleWaiters, drainMs);
    await this.#endRunning();
    this.server.closeAllConnections();
    await closed;
  }

  /**
   * Past the drain: the gateway ends the model requests still running itself, with
   * `503 shutting_down` (a stream gets it as an in-stream error event, which an SDK raises, instead
   * of a reset connection), and waits a little for their log phase, so their usage is queued before
   * the ledger's last write and their access line says what happened (not a client's 499).
   */
  async #endRunning(): Promise<void> {
    if (this.#running.size === 0) return;
    const done = calledOrAfter(this.#doneWaiters, endGraceMs);
    for (const abort of this.#running) abort.abort(errors.shuttingDown());
    await done;
  }
}
