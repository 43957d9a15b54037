import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Operation } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { openAIModelList } from '../formats/openai/models-list.ts';
import { parseOpenAIRequest } from '../formats/openai/parse-request.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { handleModelRequest, type PipelineRuntime } from '../pipeline/handle-request.ts';
import type { ModelListing } from '../routing/router.ts';
import { readBody } from './read-body.ts';
import { writeJson, writeOpenAIError } from './write-response.ts';

/** What the data plane reads from the current configuration on every request. */
export interface DataPlaneRuntime extends PipelineRuntime {
  bodyLimit: number;
  listModels(): ModelListing[];
}

export interface DataPlaneOptions {
  runtime: () => DataPlaneRuntime;
  logger: Logger;
  keepAliveTimeout: number;
  onInFlightChange?: (delta: number) => void;
}

const operationsByPath: Record<string, Operation> = {
  '/v1/chat/completions': 'chat',
  '/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/embeddings': 'embeddings',
};

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The data-plane listener (node:http): parses the request, builds the context and hands it to
 * the pipeline. Counts requests in flight so shutdown can drain them.
 */
export class DataPlaneServer {
  readonly server: Server;
  #inFlight = 0;
  #draining = false;
  #idleWaiters: Array<() => void> = [];
  readonly #options: DataPlaneOptions;

  constructor(options: DataPlaneOptions) {
    this.#options = options;
    this.server = createServer({ keepAliveTimeout: options.keepAliveTimeout, requestTimeout: 0, headersTimeout: 60_000 }, (request, response) => {
      this.#track(response);
      this.#handle(request, response).catch((error: unknown) => {
        options.logger.error({ err: error }, 'unhandled data-plane failure');
        if (!response.headersSent) writeOpenAIError(response, errors.internal(), {});
        else response.destroy();
      });
    });
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

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = requestIdOf(request);
    const path = pathOf(request.url);
    if (this.#draining) {
      response.setHeader('connection', 'close');
      writeOpenAIError(response, errors.shuttingDown(), { 'x-request-id': id });
      return;
    }
    const runtime = this.#options.runtime();
    const operation = operationsByPath[path];
    if (operation === undefined) {
      if (path === '/v1/models' || path === '/models') {
        if (request.method !== 'GET') return void writeOpenAIError(response, errors.methodNotAllowed(request.method ?? '', path), { 'x-request-id': id });
        writeJson(response, 200, openAIModelList(runtime.listModels(), 0), { 'x-request-id': id });
        return;
      }
      const modelPrefix = path.startsWith('/v1/models/') ? '/v1/models/' : path.startsWith('/models/') ? '/models/' : null;
      if (modelPrefix !== null && request.method === 'GET') {
        const wanted = decodeURIComponent(path.slice(modelPrefix.length));
        const found = runtime.listModels().find((model) => model.id === wanted);
        if (!found) return void writeOpenAIError(response, errors.modelNotFound(wanted), { 'x-request-id': id });
        writeJson(response, 200, openAIModelList([found], 0).data[0], { 'x-request-id': id });
        return;
      }
      writeOpenAIError(response, errors.notFound(request.method ?? '', path), { 'x-request-id': id });
      return;
    }
    if (request.method !== 'POST') {
      writeOpenAIError(response, errors.methodNotAllowed(request.method ?? '', path), { 'x-request-id': id, allow: 'POST' });
      return;
    }

    let rawBody: Buffer;
    let body;
    try {
      rawBody = await readBody(request, runtime.bodyLimit);
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody.toString('utf8'));
      } catch (error) {
        throw errors.invalidJson((error as Error).message);
      }
      body = parseOpenAIRequest(operation, parsed);
    } catch (error) {
      const gatewayError = error instanceof GatewayError ? error : errors.internal();
      // After a refused body the rest of it is not read: close the connection instead of reusing it.
      if (gatewayError.status === 413) response.setHeader('connection', 'close');
      writeOpenAIError(response, gatewayError, { 'x-request-id': id });
      if (gatewayError.status === 413) response.once('finish', () => request.destroy());
      return;
    }

    const abort = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    const ctx: RequestContext = {
      id,
      receivedAt: performance.now(),
      startedAt: Date.now(),
      clientFormat: 'openai',
      operation,
      method: 'POST',
      path,
      headers: request.headers,
      clientIp: request.socket.remoteAddress,
      rawBody,
      body,
      bodyChanged: false,
      responseChanged: false,
      requestedModel: body.model,
      stream: body.stream === true,
      signal: abort.signal,
      logger: this.#options.logger,
      caller: {},
      route: null,
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
      state: new Map(),
    };
    await handleModelRequest(ctx, runtime, response);
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
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
    if (this.#inFlight > 0) {
      const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainMs);
      });
      await Promise.race([idle, timeout]);
      clearTimeout(timer);
    }
    this.server.closeAllConnections();
    await closed;
  }
}
