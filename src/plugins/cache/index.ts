import type { CanonicalResponse } from '../../canonical/operation.ts';
import { toBytes, toMilliseconds } from '../../config/units.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { EarlyReply, Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { decideRoute } from '../../pipeline/route-decision.ts';
import type { RequestCost } from '../../usage/compute-cost.ts';
import { costStateKey } from '../cost/definition.ts';
import { cacheStateKey } from '../usage-ledger/usage-record.ts';
import type { CacheBackend, CachedReply } from './cache-backend.ts';
import type { CacheConfig } from './cache-config.ts';
import { cacheKey, clientKeyScope, dependsOnServerState } from './cache-key.ts';
import { cacheMetrics, type CacheMetrics } from './cache-metrics.ts';
import { cachePriority } from './definition.ts';
import { MemoryCache } from './memory-cache.ts';
import { RedisCache } from './redis-cache.ts';

/** Per-request state under ctx.state.get('cache'): `hit` is read by the usage ledger; `key` is where a miss is stored. */
export interface CacheState {
  hit: boolean;
  key?: string;
  /** The key is scoped to the client's provider key (BYOK); without it, an answer paid with a client's key is not stored. */
  clientKeyScoped?: boolean;
}

/** A hit cost nothing upstream: the ledger (and logs) record cost 0. */
const free: RequestCost = { usd: 0, estimated: false };

/** What the client's directives allow: a lookup (of an entry at most `maxAgeMs` old) and a store. */
interface Directives {
  lookup: boolean;
  store: boolean;
  maxAgeMs: number;
}

const anyAge: Directives = { lookup: true, store: true, maxAgeMs: Infinity };
const revalidate: Directives = { lookup: false, store: true, maxAgeMs: Infinity };
const bypass: Directives = { lookup: false, store: false, maxAgeMs: Infinity };
const wholeSeconds = /^\d+$/;

/** The name of one directive of a comma-separated list (`max-age` of ` Max-Age=0`), lower-cased. */
function directiveName(part: string, equals: number): string {
  return (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
}

/**
 * The client's request directives, as HTTP caches read them (RFC 9111): `no-store` skips lookup
 * and store; `no-cache` and `max-age=0` skip the lookup (the fresh answer is still stored);
 * `max-age=N` serves only an entry stored within the last N seconds. HTTP/1.0's `Pragma: no-cache`
 * counts as `no-cache` only when there is no Cache-Control.
 */
function clientDirectives(ctx: RequestContext): Directives {
  const header = ctx.headers['cache-control'];
  if (header === undefined) {
    const pragma = ctx.headers.pragma;
    return pragma !== undefined && pragma.split(',').some((part) => directiveName(part, part.indexOf('=')) === 'no-cache') ? revalidate : anyAge;
  }
  let lookup = true;
  let maxAgeMs = Infinity;
  for (const part of header.split(',')) {
    const equals = part.indexOf('=');
    const name = directiveName(part, equals);
    if (name === 'no-store') return bypass;
    if (name === 'no-cache') lookup = false;
    else if (name === 'max-age' && equals !== -1) {
      const value = part.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
      if (wholeSeconds.test(value)) maxAgeMs = Math.min(maxAgeMs, Number(value) * 1000);
    }
  }
  if (maxAgeMs === 0) lookup = false;
  return lookup && maxAgeMs === Infinity ? anyAge : { lookup, store: true, maxAgeMs };
}

/**
 * Only complete answers are stored: a response with choices that all finished (stop, length,
 * tool_calls: max tokens is in the key, so a truncated answer is the same next time) and none
 * stopped by a content filter; or embeddings with data.
 */
function storable(response: CanonicalResponse): boolean {
  const body = response as { object?: string; choices?: Array<{ finish_reason?: string | null }>; data?: unknown[] };
  if (Array.isArray(body.choices)) {
    if (body.choices.length === 0) return false;
    for (const choice of body.choices) if (!choice.finish_reason || choice.finish_reason === 'content_filter') return false;
    return true;
  }
  return body.object === 'list' && Array.isArray(body.data) && body.data.length > 0;
}

class ResponseCache implements Plugin {
  readonly name = 'cache';
  readonly priority = cachePriority;
  readonly #ttl: number;
  readonly #maxEntryBytes: number;
  readonly #shared: boolean;
  readonly #operations: ReadonlySet<string>;
  readonly #backend: CacheBackend;
  readonly #metrics: CacheMetrics;
  readonly #logger: PluginDependencies['logger'];
  #healthy = true;

  constructor(config: CacheConfig, dependencies: PluginDependencies) {
    this.#ttl = toMilliseconds(config.ttl);
    this.#maxEntryBytes = toBytes(config.max_entry_bytes);
    this.#shared = config.shared;
    this.#operations = new Set(config.operations);
    this.#metrics = cacheMetrics(dependencies.metrics);
    this.#logger = dependencies.logger;
    const redisUrl = config.redis_url ?? dependencies.redisUrl;
    const backend = config.backend ?? (redisUrl ? 'redis' : 'memory');
    this.#backend =
      backend === 'redis'
        ? new RedisCache({ url: redisUrl ?? 'redis://127.0.0.1:6379', keyPrefix: config.key_prefix, timeout: toMilliseconds(config.redis_timeout), onReady: () => this.#recovered(), onError: (error) => this.#failed(error) })
        : new MemoryCache(config.max_entries);
    this.#metrics.backendUp.set({ backend }, 1);
  }

  /** The backend (tests read the memory cache's size). */
  get backend(): CacheBackend {
    return this.#backend;
  }

  /** Access phase: a hit answers here; synchronous with the memory backend. */
  onRequest(ctx: RequestContext): void | EarlyReply | Promise<void | EarlyReply> {
    if (!this.#operations.has(ctx.operation)) return;
    const headers = (ctx.responseHeaders ??= {});
    const directives = clientDirectives(ctx);
    if (ctx.stream || !directives.store || dependsOnServerState(ctx)) {
      headers['x-tollgate-cache'] = 'bypass';
      this.#metrics.lookups.inc({ result: 'bypass' });
      return;
    }
    // The routing decision is made here rather than at the upstream call: a split's variant or a
    // rule's group answers differently, so it is in the key, and a hit reports it as a miss does.
    const plan = ctx.routePlan;
    const decision = plan === null ? null : decideRoute(ctx, plan);
    const clientKey = clientKeyScope(ctx);
    const key = cacheKey(ctx, this.#shared, clientKey, decision);
    const state: CacheState = { hit: false, key, clientKeyScoped: clientKey !== '' };
    ctx.state.set(cacheStateKey, state);
    if (!directives.lookup) return this.#missed(ctx, headers);
    const now = Date.now();
    const found = this.#backend.get(key, now);
    if (found instanceof Promise) return found.then((reply) => this.#answer(ctx, state, headers, reply, now - directives.maxAgeMs));
    return this.#answer(ctx, state, headers, found, now - directives.maxAgeMs);
  }

  /** A hit for an entry stored at or after `storedSince` (the client's max-age), else a miss. */
  #answer(ctx: RequestContext, state: CacheState, headers: Record<string, string>, found: CachedReply | undefined, storedSince: number): EarlyReply | void {
    return found !== undefined && found.storedAt >= storedSince ? this.#hit(ctx, state, found.body, found.storedAt) : this.#missed(ctx, headers);
  }

  #hit(ctx: RequestContext, state: CacheState, body: CanonicalResponse, storedAt: number): EarlyReply {
    state.hit = true;
    state.key = undefined;
    ctx.answeredFromCache = true;
    ctx.usage = (body as { usage?: RequestContext['usage'] }).usage ?? null;
    ctx.state.set(costStateKey, free);
    this.#metrics.lookups.inc({ result: 'hit' });
    const age = Math.max(0, Math.floor((Date.now() - storedAt) / 1000));
    return { status: 200, body, headers: { 'x-tollgate-cache': 'hit', age: String(age) } };
  }

  #missed(ctx: RequestContext, headers: Record<string, string>): void {
    headers['x-tollgate-cache'] = 'miss';
    this.#metrics.lookups.inc({ result: 'miss' });
  }

  /** Response phase: a miss's complete answer is stored (after output guardrails, which run first). */
  onResponse(ctx: RequestContext, response: CanonicalResponse): void | Promise<void> {
    const state = ctx.state.get(cacheStateKey) as CacheState | undefined;
    if (state?.key === undefined || !storable(response)) return;
    // A client's key paid for this answer although the lookup did not expect it (a route chosen
    // after authentication from the caller's metadata): stored without that key's scope, it would
    // be served to callers without it.
    if (ctx.clientKeyBinding !== undefined && !state.clientKeyScoped) return;
    const json = JSON.stringify(response);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: measure the bytes only when the length cannot settle it.
    if (json.length * 3 > this.#maxEntryBytes && Buffer.byteLength(json) > this.#maxEntryBytes) return;
    const stored = this.#backend.set(state.key, json, Date.now(), this.#ttl);
    // A remote store does not hold the response back; only what was stored counts (a failed
    // store counts in backend_errors_total).
    if (stored === true) this.#countStore();
    else if (stored instanceof Promise) stored.then((ok) => ok && this.#countStore(), () => undefined);
  }

  #countStore(): void {
    this.#metrics.stores.inc({ backend: this.#backend.kind });
  }

  #failed(error: unknown): void {
    this.#metrics.backendErrors.inc({ backend: this.#backend.kind });
    if (!this.#healthy) return;
    this.#healthy = false;
    this.#metrics.backendUp.set({ backend: this.#backend.kind }, 0);
    this.#logger.error({ err: error, backend: this.#backend.kind }, 'the response cache store cannot be reached: requests are answered upstream (as misses) until it is back');
  }

  #recovered(): void {
    if (this.#healthy) return;
    this.#healthy = true;
    this.#metrics.backendUp.set({ backend: this.#backend.kind }, 1);
    this.#logger.info({ backend: this.#backend.kind }, 'the response cache store is reachable again');
  }

  close(): Promise<void> | void {
    return this.#backend.close();
  }
}

/** The cache plugin's instance: a memory or Redis backend behind the access and response phases (definition.ts). */
export function createCachePlugin(config: CacheConfig, dependencies: PluginDependencies): Plugin {
  return new ResponseCache(config, dependencies);
}
