import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatIssues, formatPath } from '../config/format-issues.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { adminErrors } from '../errors/admin-errors.ts';
import type { AdminAuth } from './admin-auth.ts';
import type { AuthFailureThrottle } from './auth-failure-throttle.ts';

/** Who may call a route: anyone (health, metrics, the spec), any admin token, or an admin-role token. */
export type Access = 'public' | 'read' | 'write';

export interface RouteInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  /** Who is calling, for the audit log (`admin-token:<hash prefix>`; `anonymous` on public routes). */
  actor: string;
  request: FastifyRequest;
}

export interface AdminRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify style (`/keys/:id`); the OpenAPI document shows `/keys/{id}`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** The success answer: its status, and its schema (null: not JSON, e.g. Prometheus text); `headers`: name -> description. */
  response: { status: number; description: string; schema: z.ZodType | null; contentType?: string; headers?: Record<string, string> };
  /** When the route answers 409 conflict, for the OpenAPI document. */
  conflict?: string;
  /**
   * The route exists only to refuse (a write to a YAML-declared resource: 405 declarative_resource),
   * so the method is not one the path takes: an `Allow` header never lists it.
   */
  alwaysRefused?: true;
  handle(input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>, reply: FastifyReply): Promise<unknown>;
}

/** The path of the field a problem is about (an unknown field's own name; inside a union, as formatIssues shows it). */
function issuePath(issue: z.core.$ZodIssue): PropertyKey[] {
  if (issue.code === 'invalid_union') {
    const meant = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
    if (meant.length === 1 && meant[0].length > 0) return [...issue.path, ...issuePath(meant[0][0])];
  }
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) return [...issue.path, issue.keys[0]];
  return [...issue.path];
}

/** `param` of a refused body or query: its first problem's field (`budget.period`, `limits[0].per`, `from`); null for the whole body. */
function issueParam(issue: z.core.$ZodIssue): string | null {
  const path = issuePath(issue);
  return path.length === 0 ? null : formatPath(path);
}

/** 400 invalid_request, listing every problem with its path, `param` the first one's field. */
export function invalidRequest(problems: string[], param: string | null = null): GatewayError {
  const { status, type, code, message } = adminErrors.invalidBody(problems);
  return new GatewayError({ status, type, code, message, param });
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw invalidRequest(formatIssues(result.error.issues, [where]), issueParam(result.error.issues[0]));
  return result.data;
}

/**
 * Registers Admin API routes on Fastify and remembers them, so the OpenAPI document is built
 * from exactly what is served (openapi.ts) with the same zod schemas that validate requests.
 */
export class AdminRouteTable {
  readonly routes: AdminRoute[] = [];
  readonly #app: FastifyInstance;
  readonly #auth: AdminAuth;
  readonly #throttle: AuthFailureThrottle;
  /** Who each request authenticated as, from its onRequest check to its handler. */
  readonly #actors = new WeakMap<FastifyRequest, string>();

  constructor(app: FastifyInstance, auth: AdminAuth, throttle: AuthFailureThrottle) {
    this.#app = app;
    this.#auth = auth;
    this.#throttle = throttle;
  }

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(route: AdminRoute<P, Q, B>): void {
    this.routes.push(route as unknown as AdminRoute);
    const access = route.access;
    this.#app.route({
      method: route.method,
      url: route.path,
      // The token is checked before the body is read or its type judged: a locked-out address,
      // a missing or wrong token is refused (429, 401) whatever it sent, so a POST without a token
      // learns that it needs one, not that its body should be JSON (415).
      onRequest: access === 'public' ? undefined : async (request) => void this.#actors.set(request, this.#authorize(request, access)),
      handler: async (request, reply) => {
        const actor = access === 'public' ? 'anonymous' : this.#actors.get(request)!;
        const input = {
          params: parse(route.params, request.params, 'params'),
          query: parse(route.query, request.query, 'query'),
          body: parse(route.body, request.body, 'body'),
          actor,
          request,
        };
        reply.code(route.response.status);
        return route.handle(input, reply);
      },
    });
  }

  /** The actor, or the 401/403/429; a wrong token counts against the client's address. */
  #authorize(request: FastifyRequest, access: Exclude<Access, 'public'>): string {
    const address = request.socket.remoteAddress;
    // A locked-out address is refused before its token is compared (or its body read).
    this.#throttle.refuseIfLockedOut(address);
    try {
      return this.#auth.authorize(request.headers.authorization, access);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'invalid_admin_token') this.#throttle.recordFailure(address);
      throw error;
    }
  }
}
