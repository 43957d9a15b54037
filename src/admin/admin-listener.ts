import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { adminErrors } from '../errors/admin-errors.ts';
import { errors } from '../errors/catalogue.ts';
import { compileAllowedHosts, type AllowedHosts } from '../server/allowed-hosts.ts';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { connectionErrorOf, rawErrorAnswer, responseInFlight, type ConnectionFailure } from '../server/client-error.ts';
import { refuseConnect } from '../server/connect-refusal.ts';
import { missingHostRefusal, ownHostCheck } from '../server/missing-host.ts';
import { createServer, defaultMaxHeaderSize } from '../server/node-http.ts';
import { pathOf, useOriginForm } from '../server/path-of.ts';
import type { GatewayMetrics } from '../telemetry/metrics.ts';
import type { AdminManagement, AdminStatus } from './admin-server.ts';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * How long a request to the Admin listener may take to arrive, its headers and its body: its
 * requests are small, so a client that trickles them (a byte a second) is cut with a 408 rather
 * than holding a connection for Node's default of five minutes.
 */
const adminRequestTimeoutMs = 30_000;

/**
 * What Node's parser refused (headers too large, malformed HTTP) or a request that did not arrive
 * in time: OpenAI's error object with an x-request-id and `Connection: close`, as the data plane
 * answers it (client-error.ts); a client that left, or one whose request is being answered, gets nothing.
 */
function refuseBrokenRequest(failure: ConnectionFailure, socket: Duplex): void {
  const error = connectionErrorOf(failure, defaultMaxHeaderSize);
  // A request being answered (its body broke): only the connection goes.
  if (error.status !== 499 && socket.writable && !socket.destroyed && responseInFlight(socket) === null) socket.end(rawErrorAnswer(error, randomUUID()));
  socket.destroy();
}

const jsonType = 'application/json; charset=utf-8';

/**
 * The Admin listener (default 127.0.0.1:8001). It answers the probes and the scrape itself
 * (GET /healthz, /readyz and /metrics, what Kubernetes and Prometheus call every few seconds) and
 * hands every other request to the Admin API's Fastify app (admin-server.ts), which it builds on
 * the first such request. Fastify, its validators and the management routes' schemas are about
 * 2.5 MiB of a gateway's resident memory, which a gateway nobody manages through the API never
 * needs. The app serves the same three paths too, for its OpenAPI document and for any other method.
 * The dashboard's static files (GET /dashboard/..., `/` redirects there) are served here too,
 * without Fastify, from a module loaded on the first of them (dashboard-files.ts).
 */
export class AdminListener {
  readonly server: Server;
  readonly #status: AdminStatus;
  readonly #metrics: GatewayMetrics;
  readonly #management: AdminManagement | undefined;
  readonly #logger: Logger;
  #app: Promise<{ handle: RequestHandler; close: () => Promise<void> }> | null = null;
  #closing = false;
  /** Which Host headers are answered (allowed-hosts.ts), set with the address listened on. */
  #hosts: AllowedHosts = compileAllowedHosts('0.0.0.0', []);

  constructor(status: AdminStatus, metrics: GatewayMetrics, management: AdminManagement | undefined, logger: Logger) {
    this.#status = status;
    this.#metrics = metrics;
    // Admin settings apply at the next start: the throttle's numbers are taken now, not when the app is built.
    this.#management = management && { ...management, authFailures: management.authFailures ?? management.runningConfig?.config().admin.auth_failures };
    this.#logger = logger;
    this.server = createServer({ ...ownHostCheck, requestTimeout: adminRequestTimeoutMs, headersTimeout: adminRequestTimeoutMs, connectionsCheckingInterval: 1000 }, (request, response) => this.#route(request, response));
    this.server.on('clientError', (failure: ConnectionFailure, socket: Duplex) => refuseBrokenRequest(failure, socket));
    this.server.on('connect', refuseConnect);
  }

  /**
   * Listens; resolves with the port. On a loopback address only loopback names, IP addresses and
   * `allowedHosts` (admin.allowed_hosts) are answered: a web page that re-points its own name at
   * 127.0.0.1 (DNS rebinding) reads no /metrics, /readyz or dashboard.
   */
  listen(port: number, host: string, allowedHosts: readonly string[] = []): Promise<number> {
    this.#hosts = compileAllowedHosts(host, allowedHosts);
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host }, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Stops accepting, lets requests in flight finish, then closes the app if it was built. */
  async close(): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await closed;
    const app = await this.#app?.catch(() => null);
    await app?.close();
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    useOriginForm(request);
    // While closing, a keep-alive connection (a scraper's, a probe's) closes after its answer
    // instead of holding the close until it times out.
    if (this.#closing) response.setHeader('connection', 'close');
    else response.once('finish', () => this.#closing && setImmediate(() => this.server.closeIdleConnections()));
    const noHost = missingHostRefusal(request);
    if (noHost !== null) {
      response.setHeader('connection', 'close');
      return send(request, response, noHost.status, jsonType, JSON.stringify(noHost.toOpenAIBody()));
    }
    if (!this.#hosts.allows(request.headers.host)) {
      const misdirected = errors.hostNotAllowed(request.headers.host!, 'admin.allowed_hosts');
      return send(request, response, misdirected.status, jsonType, JSON.stringify(misdirected.toOpenAIBody()));
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const path = pathOf(request.url);
      if (path === '/healthz') return send(request, response, 200, jsonType, '{"status":"ok"}');
      if (path === '/readyz') {
        const ready = this.#status.ready();
        return send(request, response, ready ? 200 : 503, jsonType, JSON.stringify({ status: ready ? 'ready' : 'not ready', ...this.#status.details() }));
      }
      // The dashboard's files (dashboard-files.ts, loaded on the first of them) need no Fastify:
      // the page loads it with its first Admin API call.
      if (path === '/' || path === '/dashboard') return redirect(response, '/dashboard/');
      if (path.startsWith('/dashboard/')) {
        import('./dashboard-files.ts')
          .then(({ serveDashboardFile }) => serveDashboardFile(request, response, path))
          .catch((error: unknown) => this.#fail(request, response, error));
        return;
      }
      if (path === '/metrics') {
        this.#metrics.exposition().then(
          (text) => send(request, response, 200, this.#metrics.registry.contentType, text),
          (error: unknown) => this.#fail(request, response, error),
        );
        return;
      }
    }
    this.#appHandler().then(
      (app) => app.handle(request, response),
      (error: unknown) => this.#fail(request, response, error),
    );
  }

  #appHandler(): Promise<{ handle: RequestHandler; close: () => Promise<void> }> {
    if (this.#app === null) {
      const building = (async () => {
        const { createAdminServer } = await import('./admin-server.ts');
        let handle: RequestHandler | undefined;
        // Fastify routes what this listener hands it; the server it is given never listens.
        const app = createAdminServer(this.#status, this.#metrics, this.#management, (handler) => {
          handle = handler;
          return createServer();
        });
        await app.ready();
        return { handle: handle!, close: () => app.close() };
      })();
      // A build that failed (only a broken install can) is tried again on the next request.
      building.catch(() => {
        if (this.#app === building) this.#app = null;
      });
      this.#app = building;
    }
    return this.#app;
  }

  #fail(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    this.#logger.error({ err: error, method: request.method, url: request.url }, 'the Admin API failed to handle a request');
    if (response.headersSent) return void response.destroy();
    const internal = adminErrors.internal();
    send(request, response, internal.status, jsonType, JSON.stringify(internal.toOpenAIBody()));
  }
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'content-length': 0 });
  response.end();
}

function send(request: IncomingMessage, response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}
