import type { Agent as AgentInstance, Dispatcher } from 'undici';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { clientStallLimit } from './client-stall.ts';
import { decodingHandler, type AttemptHandler, type DecodingHandler } from './decoding-handler.ts';
import { noteDispatch } from './dispatch-watch.ts';
import { SseEventTooLarge } from './sse-parser.ts';
import { skipContinueAnswers } from './informational-answers.ts';
import { bodyWithItsOwnMemory } from './own-memory.ts';
import { isClosedConnection, staleFailureWindowMs } from './stale-connection.ts';
import { Agent, undiciErrors } from './undici-parts.ts';
import { UpstreamBody } from './upstream-body.ts';
import { declaredLength, WholeBody } from './whole-body.ts';

/** Timeouts of one upstream attempt, in milliseconds. */
export interface UpstreamTimeouts {
  connect: number;
  firstByte: number;
  idle: number;
  total: number;
}

export const defaultTimeouts: UpstreamTimeouts = { connect: 10_000, firstByte: 300_000, idle: 120_000, total: 600_000 };

export interface UpstreamRequest {
  /** Absolute URL of the provider endpoint. */
  url: string;
  method?: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  /**
   * The body; a list of pieces is sent one after another, none of them copied (an upload with its
   * form's model replaced), with their total length as Content-Length.
   */
  body?: string | Uint8Array | readonly Uint8Array[];
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
  /** Provider name, for error messages (never a credential). */
  provider: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The response body as it arrives; read it, or dump() or destroy() it. */
  body: UpstreamBody;
}

/** A response read whole (UpstreamClient.requestWhole). */
export interface WholeUpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface UpstreamClientOptions {
  connections: number;
  /** How long an idle connection is kept when the provider sends no Keep-Alive hint, in milliseconds. */
  keepAliveTimeout: number;
  /** The most bytes of an answer read whole (requestWhole); more fails the call (upstream_response_too_large). */
  maxResponseBytes?: number;
}

/** upstream.max_response_bytes's default: 64 MiB. */
export const defaultMaxResponseBytes = 64 * 1024 * 1024;

/**
 * A provider's Keep-Alive hint (`timeout=5`, as Node's servers send) is honoured less this much:
 * the connection is dropped 2 s before the provider would close it, not while a request is on its way.
 */
const keepAliveHintMargin = 2_000;

/**
 * Outbound HTTP for every provider: undici agents with keep-alive pools per origin. undici's
 * API changes between majors, so the rest of the gateway only sees this module.
 */
export class UpstreamClient {
  readonly #agents = new Map<number, AgentInstance>();
  readonly #options: UpstreamClientOptions;
  readonly #maxResponseBytes: number;
  /**
   * An agent has just opened a connection: undici writes the request it was opened for at once,
   * in the same turn, so the next request started is that one, on a fresh connection; any other
   * request started went out on a reused one (stale-connection.ts). Cleared at the end of the
   * turn should nothing start on it (its request was aborted while connecting).
   */
  #connectionOpened = false;
  readonly #clearConnectionOpened = () => {
    this.#connectionOpened = false;
  };
  readonly #onConnect = (_origin: unknown, targets: readonly unknown[]) => {
    this.#connectionOpened = true;
    queueMicrotask(this.#clearConnectionOpened);
    skipContinueAnswers(targets);
  };

  constructor(options: UpstreamClientOptions) {
    this.#options = options;
    this.#maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  }

  // One agent per connect timeout: undici sets the connect timeout per agent, not per request.
  #agentFor(connectTimeout: number): AgentInstance {
    let agent = this.#agents.get(connectTimeout);
    if (!agent) {
      agent = new Agent({
        connections: this.#options.connections,
        keepAliveTimeout: this.#options.keepAliveTimeout,
        keepAliveMaxTimeout: Math.max(this.#options.keepAliveTimeout, 600_000),
        keepAliveTimeoutThreshold: keepAliveHintMargin,
        connect: { timeout: connectTimeout },
      });
      agent.on('connect', this.#onConnect);
      this.#agents.set(connectTimeout, agent);
    }
    return agent;
  }

  /** Whether the request starting now goes out on a connection that served an earlier one (#connectionOpened). */
  #startsOnReusedConnection(): boolean {
    const reused = !this.#connectionOpened;
    this.#connectionOpened = false;
    return reused;
  }

  /**
   * Sends one request; network failures and timeouts become 502/504 GatewayErrors (a failure
   * after the headers reaches the body's reader as one). Resolves with the status and headers as
   * soon as they arrive; the body's pieces go to whoever reads it (UpstreamBody), straight from
   * undici's dispatch: no body stream object and no stream events per piece, which on a
   * passed-through stream were a tick object and a state walk for every SSE event.
   */
  request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const attempt = new AttemptAbort(request);
    return new Promise<UpstreamResponse>((resolve, reject) => {
      let body: UpstreamBody | null = null;
      const abort = this.#dispatch(request, attempt, {
        start(controller, status, headers) {
          const flow = {
            // The gateway holds the provider back for a client that is behind: not the provider's idle time.
            pause: () => {
              attempt.paused();
              controller.pause();
            },
            resume: () => {
              attempt.resumed();
              controller.resume();
            },
            abort: (reason: Error) => abort(reason),
            settled: () => attempt.release(),
          };
          body = new UpstreamBody(flow, clientStallLimit(request.timeouts));
          resolve({ status, headers, body });
        },
        data: (chunk) => body?.push(chunk),
        end: () => body?.finish(),
        // Before the headers the promise rejects; after them the body fails.
        fail(error) {
          if (body !== null) body.fail(attempt.mapError(error));
          else {
            attempt.release();
            reject(attempt.mapError(error));
          }
        },
      });
    });
  }

  /**
   * Sends one request and reads the whole response into one Buffer, for calls whose answer is
   * not streamed, with no body object at all (WholeBody: one buffer when the length is declared).
   * An answer over `limitBytes` (upstream.max_response_bytes) fails the call with
   * upstream_response_too_large as soon as that shows: at once when its Content-Length says so,
   * else when the bytes pass it; nothing more is read.
   */
  requestWhole(request: UpstreamRequest, limitBytes = this.#maxResponseBytes): Promise<WholeUpstreamResponse> {
    const attempt = new AttemptAbort(request);
    return new Promise<WholeUpstreamResponse>((resolve, reject) => {
      let settled = false;
      let status = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      let body: WholeBody | null = null;
      const finish = (error: unknown, response?: WholeUpstreamResponse) => {
        if (settled) return;
        settled = true;
        attempt.release();
        if (response) resolve(response);
        else reject(attempt.mapError(error));
      };
      // Settled here, not only by the abort: a compressed answer may have arrived whole, so the
      // response is over for undici and only the decoder is still at work (decoding-handler.ts).
      const tooLarge = () => {
        const error = errors.upstreamResponseTooLarge(request.provider, limitBytes);
        abort(error);
        finish(error);
      };
      const abort = this.#dispatch(request, attempt, {
        start(_controller, statusCode, responseHeaders) {
          status = statusCode;
          headers = responseHeaders;
          const length = declaredLength(responseHeaders);
          if (length !== null && length > limitBytes) tooLarge();
          else body = new WholeBody(length);
        },
        data(chunk) {
          if (body === null) return;
          if (body.size + chunk.length > limitBytes) {
            body = null;
            tooLarge();
          } else body.add(chunk);
        },
        end: () => finish(null, { status, headers, body: body?.whole() ?? Buffer.alloc(0) }),
        fail: (error) => finish(error),
      });
    });
  }

  /**
   * Dispatches one attempt through undici (request and requestWhole differ only in what they do
   * with the response). The attempt keeps the first-byte and idle timeouts (0 turns undici's
   * off) and its abort (client gone, deadline) ends the request. Returns the attempt's abort: a
   * request aborted while still queued for a connection (undici calls onRequestStart only once
   * it has one) fails at once, and is dropped as soon as undici starts it. A request that meets a
   * reused connection the provider had just closed is sent once more, on a new connection, before
   * the handler hears of it (stale-connection.ts): two flags per request.
   */
  #dispatch(request: UpstreamRequest, attempt: AttemptAbort, handler: AttemptHandler): (reason: unknown) => void {
    const { origin, path } = splitUrl(request.url);
    let controller: Dispatcher.DispatchController | null = null;
    let decoding: DecodingHandler | null = null;
    /** The request went out on a connection that had served another, and nothing has come back yet; cleared once it may not be resent. */
    let resendable = false;
    let resent = false;
    // The attempt called its provider (even should the request fail at once): not a refusal of the gateway's own.
    noteDispatch();
    const abort = (reason: unknown) => {
      decoding?.stop();
      if (controller === null) handler.fail(reason);
      else if (!controller.aborted) controller.abort(reason instanceof Error ? reason : new Error('aborted'));
    };
    if (attempt.signal.aborted) {
      handler.fail(attempt.signal.reason);
      return abort;
    }
    attempt.signal.addEventListener('abort', () => abort(attempt.signal.reason), { once: true });
    // No Accept-Encoding means "any coding" (RFC 9110 12.5.3), and undici does not decode: a
    // provider that compresses would hand the client gzip bytes as its event stream. The adapters
    // build these headers per call, so setting one here touches nothing shared.
    request.headers['accept-encoding'] ??= 'identity';
    const agent = this.#agentFor(request.timeouts.connect);
    const client = this;
    const options: Dispatcher.DispatchOptions = { origin, path, method: request.method ?? 'POST', headers: request.headers, body: bodyToDispatch(request), headersTimeout: 0, bodyTimeout: 0 };
    const undiciHandler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        resendable = !resent && client.#startsOnReusedConnection();
        attempt.sent();
        if (attempt.signal.aborted) abort(attempt.signal.reason);
      },
      onResponseStart(started, statusCode, headers) {
        resendable = false;
        // An informational answer (103 Early Hints, 102 Processing, a 100 Continue unasked:
        // informational-answers.ts) is not the response: undici goes on to the final one, which
        // the first-byte and total timeouts still wait for.
        if (statusCode < 200) return;
        attempt.received();
        const coding = headers['content-encoding'];
        if (coding === undefined || coding === 'identity') {
          handler.start(started, statusCode, headers);
          return;
        }
        // A provider that compresses although asked for identity: its body is decoded here, for every reader.
        decoding = decodingHandler(handler, coding, request.provider);
        decoding.start(started, statusCode, headers);
      },
      onResponseData(_controller, chunk) {
        attempt.received();
        (decoding ?? handler).data(chunk);
      },
      onResponseEnd() {
        (decoding ?? handler).end();
      },
      onResponseError(_controller, error) {
        if (resendable && !attempt.signal.aborted && isClosedConnection(error) && attempt.sinceSent() < staleFailureWindowMs) {
          resendable = false;
          resent = true;
          controller = null;
          send();
          return;
        }
        (decoding ?? handler).fail(error);
      },
    };
    const send = () => {
      try {
        agent.dispatch(options, undiciHandler);
      } catch (error) {
        handler.fail(error);
      }
    };
    send();
    return abort;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#agents.values()].map((agent) => agent.close()));
    this.#agents.clear();
  }
}

/**
 * A request's body as undici takes it. Pieces go as an iterable, which undici writes to the socket
 * one by one as they are (its documented `Iterable` body; its types leave it out), after the
 * Content-Length set here: without one it would send them chunked. A single body keeps its own
 * path (bodyWithItsOwnMemory); the pieces are views of the client's body, which the request holds
 * anyway, so they need no memory of their own.
 */
function bodyToDispatch(request: UpstreamRequest): Dispatcher.DispatchOptions['body'] {
  const body = request.body;
  if (!isPieces(body)) return bodyWithItsOwnMemory(body);
  let length = 0;
  for (const piece of body) length += piece.byteLength;
  request.headers['content-length'] = String(length);
  return body as unknown as Dispatcher.DispatchOptions['body'];
}

function isPieces(body: UpstreamRequest['body']): body is readonly Uint8Array[] {
  return Array.isArray(body);
}

/**
 * What ends one attempt early: the client's signal or the total deadline, whichever comes first,
 * as one signal. (Cheaper than AbortSignal.any + AbortSignal.timeout on every request, and the
 * timer is cleared by release() as soon as the body is done.)
 *
 * It also keeps the first-byte and idle timeouts itself (request and requestWhole report sent()
 * and received() to it), on the same single timer: undici's own header and body
 * timers cost two timer objects per request that live until undici's once-a-second sweep, so V8
 * promotes them to the old generation, where they made up about half of what grew it per
 * proxied call (README, Operations). The timer is armed for the earliest time
 * any of the three could expire; when it fires early (a long call), it is armed again for the
 * next one. No timer work per body piece: a piece only notes the time.
 *
 * While the gateway itself has paused reading the response (backpressure: its client is not
 * taking the bytes), the provider is not idle: the idle clock stops, and starts afresh when
 * reading resumes, and the total deadline moves on by the pause: however long a slow client makes
 * the stream, the provider's own time is what is timed. A client that takes nothing for the stall
 * limit is cut off by whoever writes to it (server/client-stall-watch.ts).
 */
class AttemptAbort {
  readonly #controller = new AbortController();
  // The client's signal and the provider's name, not the whole request: an attempt lives as long
  // as its response body, and the request's body need not.
  readonly #clientSignal: AbortSignal;
  readonly #provider: string;
  #timer: NodeJS.Timeout;
  readonly #onClientAbort = () => this.#controller.abort(this.#clientSignal.reason);
  #deadlinePassed = false;
  #deadline: number;
  readonly #firstByte: number;
  readonly #idle: number;
  /** performance.now() when the request went out on a connection; 0 before (first byte not timed yet). */
  #sentAt = 0;
  /** performance.now() of the response's headers or last body piece; 0 before the headers. */
  #lastActivity = 0;
  /** performance.now() when the gateway paused reading the response; 0 while it reads. */
  #pausedAt = 0;

  constructor(request: UpstreamRequest) {
    this.#clientSignal = request.signal;
    this.#provider = request.provider;
    if (request.signal.aborted) this.#controller.abort(request.signal.reason);
    else request.signal.addEventListener('abort', this.#onClientAbort, { once: true });
    const { total, firstByte, idle } = request.timeouts;
    this.#deadline = performance.now() + total;
    // 0 turns a timeout off, as it does in undici.
    this.#firstByte = firstByte > 0 ? firstByte : Infinity;
    this.#idle = idle > 0 ? idle : Infinity;
    this.#timer = setTimeout(this.#check, timerDelay(Math.min(total, this.#firstByte, this.#idle)));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The request went out on a connection: the first-byte clock starts. */
  sent(): void {
    this.#sentAt = performance.now();
  }

  /** Milliseconds since the request last went out on a connection (Infinity before it has). */
  sinceSent(): number {
    return this.#sentAt > 0 ? performance.now() - this.#sentAt : Infinity;
  }

  /** The response's headers or a piece of its body arrived: the idle clock (re)starts. */
  received(): void {
    this.#lastActivity = performance.now();
  }

  /** The gateway stopped reading the response (its client is behind). */
  paused(): void {
    this.#pausedAt = performance.now();
  }

  /** The gateway reads the response again: the provider has a whole idle period from now. */
  resumed(): void {
    // The pause was the client's: the attempt's total deadline moves on by it.
    if (this.#pausedAt > 0) this.#deadline += performance.now() - this.#pausedAt;
    this.#pausedAt = 0;
    this.#lastActivity = performance.now();
  }

  readonly #check = (): void => {
    const now = performance.now();
    let expired: string | null = null;
    let next = this.#deadline;
    if (this.#pausedAt > 0) {
      // No clock runs while the client holds the provider back. Looked at again within an idle
      // period (or what was left of the total at the pause), so the provider's time after the resume is noticed in time.
      next = now + Math.min(this.#idle, this.#deadline - this.#pausedAt);
    } else if (now >= this.#deadline) expired = 'total';
    else if (this.#lastActivity > 0) {
      if (now - this.#lastActivity >= this.#idle) expired = 'idle';
      else next = Math.min(next, this.#lastActivity + this.#idle);
    } else if (this.#sentAt > 0) {
      if (now - this.#sentAt >= this.#firstByte) expired = 'first byte';
      else next = Math.min(next, this.#sentAt + this.#firstByte);
    } else next = Math.min(next, now + this.#firstByte);
    if (expired === null) {
      this.#timer = setTimeout(this.#check, timerDelay(next - now));
      return;
    }
    if (expired === 'total') this.#deadlinePassed = true;
    // The reason becomes the error undici reports, mid-body included.
    this.#controller.abort(errors.upstreamTimeout(this.#provider, expired));
  };

  release(): void {
    clearTimeout(this.#timer);
    this.#clientSignal.removeEventListener('abort', this.#onClientAbort);
  }

  /** The gateway error for what ended the attempt (mapUpstreamError); after the response's headers, a lost connection is upstream_connection_lost. */
  mapError(error: unknown): GatewayError {
    return mapUpstreamError(error, this.#provider, this.#clientSignal, this.#deadlinePassed, this.#lastActivity > 0, this.#sentAt > 0);
  }
}

/** A setTimeout delay: at least 1 ms, and at most what Node takes (beyond ~24.8 days it would fire after 1 ms). */
function timerDelay(milliseconds: number): number {
  return Math.min(Math.max(1, milliseconds), 2_147_483_647);
}

const urlParts = new Map<string, { origin: string; path: string }>();

/** URLs cached at most: a provider that puts the model in the path (Gemini, Vertex, Bedrock, Azure deployments) gets one per name a client sends. */
const maxCachedUrls = 1_000;

/**
 * Origin and path of a provider URL; cached, since a provider's few URLs repeat on every call.
 * Past maxCachedUrls (invented model names) the cache starts over, so it holds the URLs in use.
 */
function splitUrl(url: string): { origin: string; path: string } {
  let parts = urlParts.get(url);
  if (parts === undefined) {
    const parsed = new URL(url);
    parts = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (urlParts.size >= maxCachedUrls) urlParts.clear();
    urlParts.set(url, parts);
  }
  return parts;
}

/**
 * Turns a network, timeout or abort failure into the gateway error a client should see. `answered`:
 * the provider's status and headers had come, so a connection that failed then was lost mid-answer
 * (upstream_connection_lost), not unreachable. `sent`: the request had gone out on a connection,
 * so one closed or reset before an answer was closed by the provider, not unreachable.
 */
export function mapUpstreamError(error: unknown, provider: string, clientSignal?: AbortSignal, deadlinePassed = false, answered = false, sent = false): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof SseEventTooLarge) return errors.upstreamBadResponse(provider, error.message);
  if (clientSignal?.aborted) {
    return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed_request', message: 'The client closed the request.', cause: error });
  }
  if (deadlinePassed) return errors.upstreamTimeout(provider, 'total');
  if (error instanceof undiciErrors.HeadersTimeoutError) return errors.upstreamTimeout(provider, 'first byte');
  if (error instanceof undiciErrors.BodyTimeoutError) return errors.upstreamTimeout(provider, 'idle');
  if (error instanceof undiciErrors.ConnectTimeoutError) return errors.upstreamTimeout(provider, 'connect');
  // The provider answered, with more header bytes than undici reads (its maxHeaderSize, 16 KiB by
  // default, as Node's): an answer that cannot be read, not a provider that was not reached.
  if (error instanceof undiciErrors.HeadersOverflowError) return errors.upstreamBadResponse(provider, 'its response headers are larger than the gateway reads');
  const code = (error as { code?: string }).code;
  const detail = code ?? (error instanceof Error ? error.message : 'unknown error');
  if (answered) return errors.upstreamConnectionLost(provider, detail);
  return sent && isClosedConnection(error) ? errors.upstreamClosedBeforeAnswer(provider, detail) : errors.upstreamUnreachable(provider, detail);
}
