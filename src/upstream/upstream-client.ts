import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';

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
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
  /** Provider name, for error messages (never a credential). */
  provider: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The response body as it arrives; consume it or call dump(). */
  body: Dispatcher.ResponseData['body'];
}

export interface UpstreamClientOptions {
  connections: number;
  keepAliveTimeout: number;
}

/**
 * Outbound HTTP for every provider: undici agents with keep-alive pools per origin. undici's
 * API changes between majors, so the rest of the gateway only sees this module.
 */
export class UpstreamClient {
  readonly #agents = new Map<number, Agent>();
  readonly #options: UpstreamClientOptions;

  constructor(options: UpstreamClientOptions) {
    this.#options = options;
  }

  // One agent per connect timeout: undici sets the connect timeout per agent, not per request.
  #agentFor(connectTimeout: number): Agent {
    let agent = this.#agents.get(connectTimeout);
    if (!agent) {
      agent = new Agent({
        connections: this.#options.connections,
        keepAliveTimeout: this.#options.keepAliveTimeout,
        keepAliveMaxTimeout: Math.max(this.#options.keepAliveTimeout, 600_000),
        connect: { timeout: connectTimeout },
      });
      this.#agents.set(connectTimeout, agent);
    }
    return agent;
  }

  /** Sends one request; network failures and timeouts become 502/504 GatewayErrors. */
  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const deadline = AbortSignal.timeout(request.timeouts.total);
    const signal = AbortSignal.any([request.signal, deadline]);
    try {
      const response = await this.#agentFor(request.timeouts.connect).request({
        origin: new URL(request.url).origin,
        path: pathOf(request.url),
        method: request.method ?? 'POST',
        headers: request.headers,
        body: request.body,
        signal,
        headersTimeout: request.timeouts.firstByte,
        bodyTimeout: request.timeouts.idle,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw mapUpstreamError(error, request.provider, request.signal, deadline);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#agents.values()].map((agent) => agent.close()));
    this.#agents.clear();
  }
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/** Turns a network, timeout or abort failure into the gateway error a client should see. */
export function mapUpstreamError(error: unknown, provider: string, clientSignal?: AbortSignal, deadline?: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (clientSignal?.aborted) {
    return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed_request', message: 'The client closed the request.', cause: error });
  }
  if (deadline?.aborted) return errors.upstreamTimeout(provider, 'total');
  if (error instanceof undiciErrors.HeadersTimeoutError) return errors.upstreamTimeout(provider, 'first byte');
  if (error instanceof undiciErrors.BodyTimeoutError) return errors.upstreamTimeout(provider, 'idle');
  if (error instanceof undiciErrors.ConnectTimeoutError) return errors.upstreamTimeout(provider, 'connect');
  const code = (error as { code?: string }).code;
  const detail = code ?? (error instanceof Error ? error.message : 'unknown error');
  return errors.upstreamUnreachable(provider, detail);
}
