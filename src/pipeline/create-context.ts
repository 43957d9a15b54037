import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import type { ClientFormat } from '../providers/provider.ts';
import type { RequestContext } from './context.ts';

/** What a context reads of the request: a stand-in for one the parser refused before it was a request (server/client-error.ts). */
export type ContextRequest = Pick<IncomingMessage, 'method' | 'headers'> & { readonly socket: { readonly remoteAddress?: string } };

export interface ContextFields {
  id: string;
  request: ContextRequest;
  path: string;
  clientFormat: ClientFormat;
  operation: Operation;
  rawBody: Buffer;
  body: CanonicalRequest;
  signal: AbortSignal;
  logger: Logger;
  state?: Map<string, unknown>;
}

/**
 * Whether the client asked for its answer as a stream: `stream: true`, or speech as events
 * (`stream_format: "sse"`, speech's own switch; its plain audio is sent as it arrives, but was not
 * asked for as a stream). The ledger, the access log and the metrics report it as `stream`.
 */
function asksForStream(operation: Operation, body: CanonicalRequest): boolean {
  if (body.stream === true) return true;
  return operation === 'speech' && (body as { stream_format?: unknown }).stream_format === 'sse';
}

/** A fresh request context; every entry point (model calls, prompt APIs, local answers) makes it here. */
export function createContext(fields: ContextFields): RequestContext {
  return {
    id: fields.id,
    receivedAt: performance.now(),
    startedAt: Date.now(),
    clientFormat: fields.clientFormat,
    operation: fields.operation,
    method: fields.request.method ?? 'POST',
    path: fields.path,
    headers: fields.request.headers,
    clientIp: fields.request.socket.remoteAddress,
    rawBody: fields.rawBody,
    body: fields.body,
    bodyChanged: false,
    responseChanged: false,
    requestedModel: fields.body.model,
    stream: asksForStream(fields.operation, fields.body),
    signal: fields.signal,
    logger: fields.logger,
    caller: {},
    route: null,
    routePlan: null,
    target: null,
    inFlightTarget: null,
    attempts: 0,
    status: 0,
    error: null,
    usage: null,
    upstreamStartedAt: 0,
    upstreamFirstByteAt: 0,
    finishedAt: 0,
    bytesOut: 0,
    streamedOutputEvents: 0,
    state: fields.state ?? new Map(),
  };
}

/** An AbortSignal that fires when the client goes away before the response is complete. */
export function clientAbortSignal(response: ClosableResponse): AbortSignal {
  return clientAbortController(response).signal;
}

type ClosableResponse = { once(event: 'close', listener: () => void): unknown; writableFinished: boolean };

/**
 * clientAbortSignal's controller, for a server that may also end the request itself: aborted with
 * a GatewayError as its reason (a stop past its drain timeout), the request ends with that error
 * instead of as a client that left.
 */
export function clientAbortController(response: ClosableResponse): AbortController {
  const abort = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished && !abort.signal.aborted) abort.abort();
  });
  return abort;
}
