import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../telemetry/metrics.ts';
import type { CanonicalChunk, CanonicalResponse } from '../canonical/operation.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { RequestContext } from './context.ts';
import type { IdentityCache } from '../identity/identity-cache.ts';
import type { Store } from '../store/store.ts';
import type { PricingConfig } from '../usage/pricing-config.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';

/** An early answer from the access phase (e.g. a cache hit). */
export interface EarlyReply {
  status: number;
  body: CanonicalResponse;
  headers?: Record<string, string>;
}

/**
 * The plugin interface (Kong's phases). Every hook is optional; a plugin rejects a request by
 * throwing a GatewayError. Priorities: higher runs first. Documented ranges:
 * 3000-3999 authentication, 2000-2999 admission (limits), 1000-1999 transformation and guardrails,
 * 500-999 cache, 0-499 logging.
 */
export interface Plugin {
  readonly name: string;
  readonly priority: number;
  /** Access phase: may change ctx.body (set ctx.bodyChanged) or answer early. */
  onRequest?(ctx: RequestContext): void | EarlyReply | Promise<void | EarlyReply>;
  /** Before each upstream attempt (retries included): may add headers to the call (ctx.upstreamHeaders) or change ctx.body (and set ctx.bodyChanged). */
  onUpstreamRequest?(ctx: RequestContext): void | Promise<void>;
  /** onUpstreamRequest only adds headers, never changes the body (a count_tokens call may still send the client's bytes). */
  readonly upstreamRequestHeadersOnly?: boolean;
  /** A complete response (translated, or parsed from a passthrough when a plugin needs it). A plugin that changes it sets ctx.responseChanged. */
  onResponse?(ctx: RequestContext, response: CanonicalResponse): void | Promise<void>;
  /**
   * A forwarded operation's complete answer (moderations, images, transcriptions, rerank), before its
   * headers are sent. Its shape is not chat's, so onResponse does not see it; ctx.usage already holds
   * the usage it reported (null for none). May add ctx.responseHeaders; cannot change the answer.
   * Streamed forwarded answers (speech, event streams) send their headers before any usage and skip it.
   */
  onForwardedResponse?(ctx: RequestContext): void;
  /** Each streamed chunk: return it (possibly changed), an array to emit several, or null to hold it back. */
  onChunk?(ctx: RequestContext, chunk: CanonicalChunk): CanonicalChunk | CanonicalChunk[] | null;
  /** The stream is ending (before its end marker): return whatever onChunk still holds back. */
  onStreamEnd?(ctx: RequestContext): CanonicalChunk[];
  /**
   * Whether onChunk may change, hold back or add chunks of this request's stream (asked once, as
   * the stream starts; absent means yes). When no plugin may, a stream in the client's own format
   * is forwarded as the provider's bytes, without parsing and re-encoding every event; a plugin
   * answering no must then also have nothing for onStreamEnd to release.
   */
  rewritesStream?(ctx: RequestContext): boolean;
  /**
   * Why this plugin cannot do its job on this request when it is served natively (an OpenAI
   * Responses request whose bytes go to OpenAI or Azure as sent, and whose answer comes back
   * without response or chunk plugins: src/formats/openai-responses/README.md, Native mode): it
   * would change the request (pii redaction, masking) or check or change the answer. Asked after
   * the access phase; a reason refuses the request with 400 rather than let it through unguarded.
   * Absent or null: the plugin only reads the request, or has nothing to do here.
   */
  nativeForwardingConflict?(ctx: RequestContext): string | null;
  /**
   * An authentication plugin's verdict from the request's headers alone, before its body is read:
   * the error it will surely answer (no credential, only unknown keys), else null. Used only when it
   * is the one authentication plugin every request meets (Runtime.refusalBeforeBody).
   */
  refusalFromHeaders?(headers: IncomingHttpHeaders): GatewayError | null;
  /** After the response is sent; must not throw and never delays the client. */
  onLog?(ctx: RequestContext): void;
  /**
   * The config this instance belongs to has taken effect (the start, or a reload that was
   * accepted): log what an operator must know about it. Not called for a config that is refused
   * (a reload with a problem elsewhere) nor by `config validate`, so a warning never describes a
   * config that is not running.
   */
  announce?(): void;
  /** Config reload or shutdown: release timers and connections. */
  close?(): Promise<void> | void;
}

export interface PluginDependencies {
  logger: Logger;
  metrics: GatewayMetrics;
  /** Keys, consumers and teams from the store, in memory (absent when no store is open, e.g. `config validate`). */
  identity?: IdentityCache;
  /** The top-level `redis:` URL, for plugins that share counters between nodes (rate-limit). */
  redisUrl?: string;
  /** The store itself, for the rare write a plugin makes (jwt's auto_create of a consumer); never read per request. */
  store?: Store;
  /** The data-plane listener's host (`server.host`), for plugins that are safe only on loopback (anonymous). */
  serverHost?: string;
  /** The config's `pricing:` section (merged over the shipped price catalog by src/usage/). */
  pricing?: PricingConfig;
  /** The usage ledger's writer (one per process, absent without a store): the usage-ledger plugin queues records into it. */
  usageLedger?: UsageLedger;
  /** The gateway's environment (process.env unless a test passes its own), for defaults a plugin takes from it (tracing's OTEL_* variables). */
  env?: NodeJS.ProcessEnv;
}

/** Makes a plugin instance from a validated config: what a plugin's implementation module provides. */
export type CreatePlugin<Config> = (config: Config, dependencies: PluginDependencies) => Plugin;

/**
 * A plugin type. What config validation needs (name, priority, config schema) is imported at start
 * for every plugin; the code behind `create` only when a config uses the plugin: `load()` imports
 * it, and the gateway awaits that (src/gateway/load-implementations.ts) before it builds a Runtime,
 * so compiling a pipeline stays synchronous. Made with definePlugin (src/pipeline/define-plugin.ts).
 */
export interface PluginDefinition<Config = unknown> {
  name: string;
  description: string;
  priority: number;
  configSchema: z.ZodType<Config>;
  /** Enabled even when the config does not name it (it may still be disabled with `enabled: false`). */
  enabledByDefault?: boolean;
  /** Imports the implementation; once it resolves, `create` works. Calls after the first share its import. */
  load(): Promise<void>;
  /** Makes an instance from a validated config; throws ImplementationNotLoadedError until `load()` has resolved. */
  create(config: Config, dependencies: PluginDependencies): Plugin;
}

export type { GatewayError };
