import { isUtf8 } from 'node:buffer';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { IdentityCache } from '../identity/identity-cache.ts';
import { StoreConflictError, StoreUnavailableError, type Store } from '../store/store.ts';
import type { GatewayMetrics } from '../telemetry/metrics.ts';
import { AdminAuth, type AdminToken } from './admin-auth.ts';
import { AuthFailureThrottle, defaultAuthFailureSettings, type AuthFailureSettings } from './auth-failure-throttle.ts';
import { adminErrors } from '../errors/admin-errors.ts';
import { addConfigRoutes, type RunningConfigView } from './config-routes.ts';
import { addConfigStatusRoutes, type ConfigReloads } from './config-status-routes.ts';
import { addCredentialRoutes } from './credential-routes.ts';
import type { CredentialCache } from '../identity/credential-cache.ts';
import { addIdentityRoutes } from './identity-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { AdminRouteTable, type AdminRoute } from './route-table.ts';
import { addUsageRoutes } from './usage-routes.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';

export interface AdminStatus {
  /** Config loaded and the data-plane listener accepting. */
  ready(): boolean;
  /** Facts for /readyz: config source, providers, models. */
  details(): Record<string, unknown>;
}

/** What the management resources need; without it the listener serves only health, metrics and the spec. */
export interface AdminManagement {
  store: Store;
  identity?: IdentityCache;
  /** The usage ledger's writer, flushed before a usage report (GET /usage, /usage.csv). */
  usageLedger?: Pick<UsageLedger, 'flush'>;
  /** Provider credentials (write-only, encrypted at rest); enables PUT/DELETE /providers/{id}/credential. */
  credentials?: CredentialCache;
  tokens: readonly AdminToken[];
  /** Wrong tokens one client address may send before it is locked out (`admin.auth_failures`); default 10 a minute. */
  authFailures?: AuthFailureSettings;
  /** The running YAML config, shown read-only at /providers, /models, /routes, /plugins. */
  runningConfig?: RunningConfigView;
  /** The config's reloads: GET /config/status, POST /config/reload. */
  configReloads?: ConfigReloads;
  /** Where unexpected failures are logged (the client sees only internal_error). */
  logger?: Logger;
  /**
   * With `server.workers`: has this node's other worker processes apply a committed write (keys,
   * consumers, teams, credentials) before it is answered, so a new key works and a revoked one is
   * refused at once on the whole node, not only in the worker that runs the Admin API.
   */
  refreshSiblings?: () => Promise<void>;
}

export const adminApiVersion = '0.1.0';

/** Whether a registered route pattern (`/keys/:id`, `/dashboard/*`) matches a path. */
function patternMatches(pattern: string, path: string): boolean {
  const wanted = pattern.split('/');
  const given = path.split('/');
  for (let index = 0; index < wanted.length; index++) {
    const part = wanted[index];
    if (part === '*') return true;
    const actual = given[index];
    if (actual === undefined || (part.startsWith(':') ? actual === '' : part !== actual)) return false;
  }
  return wanted.length === given.length;
}

/**
 * Whether a path is one of the API's own, and the methods it takes there (HEAD beside GET), for
 * `Allow`. A route that only refuses (alwaysRefused) makes the path known, but is not a method it takes.
 */
function methodsOf(routes: ReadonlyArray<Pick<AdminRoute, 'method' | 'path' | 'alwaysRefused'>>, path: string): { known: boolean; allowed: string[] } {
  const methods = new Set<string>();
  let known = false;
  for (const route of routes) {
    if (!patternMatches(route.path, path)) continue;
    known = true;
    if (!route.alwaysRefused) methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return { known, allowed: [...methods] };
}

/** Every route Fastify registered on an admin server, for the "spec is complete" test. */
const registered = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>();
export function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  return registered.get(app) ?? [];
}

/**
 * The Admin API (Fastify; admin-listener.ts listens and hands requests to it): /healthz, /readyz, /metrics and
 * /openapi.json without a token; /teams, /consumers, /keys and /audit with an admin token,
 * read-only views of the YAML's /providers, /models, /routes and /plugins, and the config's
 * reloads (/config/status, /config/reload).
 * Errors use the data plane's OpenAI shape.
 */
export function createAdminServer(status: AdminStatus, metrics: GatewayMetrics, management?: AdminManagement, serverFactory?: FastifyServerFactory): FastifyInstance {
  const app = Fastify({
    logger: false,
    serverFactory,
    // A path Fastify cannot decode (`/keys/%`, a lone surrogate) or with a segment over its 100
    // characters is refused in the Admin API's own error shape, not Fastify's.
    frameworkErrors: (error, _request, reply) => {
      const gatewayError =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? errors.invalidRequest('A segment of the URL path is longer than any id or name the Admin API has (at most 100 characters).')
          : errors.invalidRequest('The URL path is not valid percent-encoded UTF-8.');
      void (reply as unknown as FastifyReply).code(gatewayError.status).headers(gatewayError.headers).send(gatewayError.toOpenAIBody());
    },
  });
  const routes: Array<{ method: string; url: string }> = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  // Bodies are JSON only: any other content-type (text/plain, a form, none) is 415. Clients (the
  // CLI, curl scripts) often send content-type: application/json on a DELETE with no body;
  // Fastify's own parser refuses that, this one reads it as no body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    // JSON is UTF-8 (RFC 8259); other bytes would be stored as U+FFFD, as the data plane refuses them.
    if (!isUtf8(bytes)) return done(adminErrors.invalidBody(['the body is not UTF-8 text']), undefined);
    const text = bytes.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    let prototypeKey = false;
    try {
      // A `__proto__` key (own property of JSON.parse's object) would be dropped by the schemas
      // and by any object spread, silently, its value unchecked: refused instead.
      parsed = JSON.parse(text, (key, value: unknown) => {
        if (key === '__proto__') prototypeKey = true;
        return value;
      });
    } catch (error) {
      return done(adminErrors.invalidBody([`the body is not valid JSON: ${(error as Error).message}`]), undefined);
    }
    if (prototypeKey) return done(adminErrors.invalidBody(['the key "__proto__" is not taken anywhere in a body']), undefined);
    done(null, parsed);
  });
  app.setErrorHandler((error, request, reply) => {
    let gatewayError: GatewayError;
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    if (error instanceof GatewayError) gatewayError = error;
    else if (error instanceof StoreConflictError) gatewayError = adminErrors.conflict(error.message);
    else if (error instanceof StoreUnavailableError) gatewayError = errors.storeUnavailable();
    // Fastify's own refusals of a body: over bodyLimit, or a content-type with no parser (only JSON has one).
    else if (statusCode === 413) gatewayError = errors.bodyTooLarge(app.initialConfig.bodyLimit ?? 1_048_576);
    else if (statusCode === 415) gatewayError = errors.unsupportedMediaType();
    else if (typeof statusCode === 'number' && statusCode < 500) gatewayError = adminErrors.invalidBody([(error as Error).message]);
    else {
      management?.logger?.error({ err: error, method: request.method, url: request.url }, 'the Admin API failed to handle a request');
      gatewayError = adminErrors.internal();
    }
    reply.code(gatewayError.status).headers(gatewayError.headers).send(gatewayError.toOpenAIBody());
  });
  app.setNotFoundHandler((request, reply) => {
    // A path the API has, asked with another method (PUT /keys): 405 with the methods it takes.
    const path = (request.url ?? '/').split('?')[0];
    const { known, allowed } = methodsOf(table.routes, path);
    const error = known ? errors.methodNotAllowed(request.method, path, allowed) : adminErrors.unknownUrl(request.method, request.url);
    reply.code(error.status).headers(error.headers).send(error.toOpenAIBody());
  });

  const auth = new AdminAuth(management?.tokens ?? []);
  const throttle = new AuthFailureThrottle(management?.authFailures ?? defaultAuthFailureSettings, { logger: management?.logger });
  const table = new AdminRouteTable(app, auth, throttle);
  table.add({
    method: 'GET', path: '/whoami', summary: "The calling token's role and its actor name (as the audit log records it)", tag: 'health', access: 'read',
    response: { status: 200, description: 'The token is known.', schema: z.object({ role: z.enum(['admin', 'viewer']), actor: z.string() }) },
    handle: async ({ actor, request }) => ({ role: auth.roleOf(request.headers.authorization) ?? 'viewer', actor }),
  });
  table.add({ method: 'GET', path: '/healthz', summary: 'Liveness', tag: 'health', access: 'public', response: { status: 200, description: 'Alive.', schema: z.object({ status: z.literal('ok') }) }, handle: async () => ({ status: 'ok' }) });
  table.add({
    method: 'GET', path: '/readyz', summary: 'Readiness: config loaded and listeners up (503 otherwise)', tag: 'health', access: 'public',
    response: { status: 200, description: 'Ready.', schema: z.looseObject({ status: z.string() }) },
    handle: async (_input, reply) => {
      const ready = status.ready();
      reply.code(ready ? 200 : 503);
      return { status: ready ? 'ready' : 'not ready', ...status.details() };
    },
  });
  table.add({
    method: 'GET', path: '/metrics', summary: 'Prometheus metrics', tag: 'health', access: 'public',
    response: { status: 200, description: 'Prometheus text format.', schema: null, contentType: 'text/plain' },
    handle: async (_input, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.exposition();
    },
  });
  if (management) addIdentityRoutes(table, management);
  if (management) addUsageRoutes(table, management);
  if (management?.runningConfig) addConfigRoutes(table, management.runningConfig);
  if (management?.configReloads) addConfigStatusRoutes(table, management.configReloads);
  if (management?.credentials) addCredentialRoutes(table, management.credentials, management.runningConfig, management.refreshSiblings);
  const document = () => buildOpenApiDocument(table.routes, adminApiVersion);
  table.add({ method: 'GET', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'meta', access: 'public', response: { status: 200, description: 'The document.', schema: z.record(z.string(), z.unknown()) }, handle: async () => document() });
  return app;
}
