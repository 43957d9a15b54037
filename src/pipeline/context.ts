import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { Usage } from '../canonical/chat.ts';
import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { ClientFormat } from '../providers/provider.ts';
import type { CompiledRoute, RoutePlan, RoutingDecision } from '../routing/router.ts';
import type { Target } from '../routing/target.ts';

/**
 * A limit written on a key, consumer or team (Admin API `limits: [{requests: 20, per: minute}]`),
 * enforced by the rate-limit plugin with no further configuration. Exactly one unit is set.
 */
export interface CallerLimit {
  /** Whose counter it is: the caller's key (default), consumer or team. */
  scope?: 'key' | 'consumer' | 'team';
  requests?: number;
  concurrent?: number;
  tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  per?: 'second' | 'minute' | 'hour' | 'day' | 'month';
  /** hard (default) rejects with 429; soft allows and logs a warning. */
  mode?: 'hard' | 'soft';
}

/** Who is calling, once an auth plugin has said so (anonymous otherwise). */
export interface Caller {
  /** The consumer's name: what logs, routes' metadata rules and per-consumer config read. */
  consumer?: string;
  /**
   * Who the consumer is: a store consumer's id (`con_…`), or `config:<name>` for one named only by
   * the config (declared keys, anonymous). The usage ledger, the response cache and consumer limits
   * and budgets key on it (src/identity/consumer-identity.ts), never on the name, which another
   * consumer may carry after a deletion or a rename. Unset with `consumer` set (a custom plugin):
   * read as `config:<consumer>`.
   */
  consumerId?: string;
  key?: string;
  /** The team's name: what logs, traces and per-team config read. */
  team?: string;
  /**
   * Who the team is: a store team's id (`team_…`), or `config:<name>` for one named only by the
   * config (declared keys, anonymous, a JWT claim no store team carries). The usage ledger and
   * team limits and budgets key on it (src/identity/team-identity.ts), never on the name. Unset
   * with `team` set (a custom plugin): read as `config:<team>`.
   */
  teamId?: string;
  metadata?: Record<string, string>;
  /** Limits written on the caller's key, consumer and team (set by key-auth; read by rate-limit). */
  limits?: CallerLimit[];
  /** The models the caller's key may call, when its key limits them (set by key-auth; filters GET /v1/models). */
  allowsModel?: (model: string) => boolean;
}

/**
 * Everything one request carries through the phases. Plugins keep their own state under
 * `state.get(pluginName)`, never in shared fields.
 */
export interface RequestContext {
  readonly id: string;
  /** performance.now() when the request arrived. */
  readonly receivedAt: number;
  /** Wall-clock time of arrival (ms since epoch), for logs and records. */
  readonly startedAt: number;
  readonly clientFormat: ClientFormat;
  readonly operation: Operation;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly clientIp: string | undefined;
  /** The client's body bytes, exactly as received. */
  readonly rawBody: Buffer;
  /** The parsed body; plugins that change it must set `bodyChanged`. */
  body: CanonicalRequest;
  bodyChanged: boolean;
  /** Set by a plugin that changed a complete response in onResponse (else the provider's bytes are sent as they came). */
  responseChanged: boolean;
  /** The model the client asked for. */
  readonly requestedModel: string;
  readonly stream: boolean;
  /** Aborted when the client disconnects before the response is complete. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  caller: Caller;
  route: CompiledRoute | null;
  /** What the router planned on arrival (set before the access plugins): the groups that may serve the request. */
  routePlan: RoutePlan | null;
  /** The canary / A-B variant a route's split chose (x-tollgate-variant), when there was one. */
  variant?: string;
  /** The router's decision for this request, made once (route-decision.ts): by the cache's lookup, which keys on it, or by the upstream call. */
  routingDecision?: RoutingDecision;
  /** The target that served (or last failed) the request. */
  target: Target | null;
  /**
   * The target of the last attempt that called its provider: what x-tollgate-provider and
   * x-tollgate-model name. `target` may be a later one the gateway refused the request for
   * before calling it (a strict_params refusal, an adapter's conversion error), which is no attempt.
   */
  calledTarget?: Target;
  /** The target whose in-flight count this request holds until the log phase. */
  inFlightTarget: Target | null;
  /** Upstream attempts: calls of a provider, not the gateway's own refusals before one (call-provider.ts). */
  attempts: number;
  /** Set by the pipeline when the response is done. */
  status: number;
  error: GatewayError | null;
  usage: Usage | null;
  /** performance.now() when the provider's response headers (or first chunk) arrived. */
  upstreamStartedAt: number;
  upstreamFirstByteAt: number;
  finishedAt: number;
  bytesOut: number;
  /**
   * Events of a stream's answer that carried output (text, reasoning or tool-call arguments),
   * about one token each: when no usage came (a cut stream), the ledger estimates the output
   * tokens from it.
   */
  streamedOutputEvents: number;
  state: Map<string, unknown>;
  /** Providers that may receive the client's own provider key on this request (set by the byok plugin; a provider with `byok: true` always may). */
  byokProviders?: ReadonlySet<string>;
  /** The provider credential the serving attempt sent (the gateway's, or the client's own under BYOK): error events in its stream are redacted of it (deliver-reply.ts). Never logged. */
  upstreamCredential?: string;
  /** The provider the client's own key (BYOK) first went to on this request: it goes to no other (call-provider.ts). */
  clientKeyBinding?: { provider: string; type: string; baseUrl: string };
  /** The credential that authenticated the caller (the key key-auth accepted, the JWT jwt verified): never used or forwarded as a provider key. */
  gatewayCredential?: string;
  /** True when a cache answered the request: no provider was called, so no tokens or cost are charged. */
  answeredFromCache?: boolean;
  /**
   * What makes this caller's answer differ from another caller's to the same upstream request,
   * which a response cache keys on beside that request: the digest of the values the pii plugin
   * masked (they are restored into the answer), the caller's own plugin layers (a team's or
   * consumer's plugins, response guardrails among them). Set in the access phase.
   */
  answerVariesBy?: string[];
  /** Headers plugins add to the response (rate-limit, cost); set in onRequest, or in onResponse for non-streaming replies. */
  responseHeaders?: Record<string, string>;
  /** Headers plugins add to the next upstream call (tracing's `traceparent`); set in onUpstreamRequest, before each attempt. */
  upstreamHeaders?: Record<string, string>;
  /** The attempts that failed, in order: which one, when it ended and its error code (per-attempt trace spans). */
  failedAttempts?: FailedAttempt[];
  /**
   * What the providers of failed attempts had reported before the attempt was cut (Anthropic's
   * message_start, before the first content): billed though the attempt failed, so the ledger,
   * the cost and the limits count it beside `usage`, the serving attempt's (attempt-usage.ts).
   */
  failedAttemptUsage?: AttemptUsage[];
  /**
   * Set when the data plane answered without a model operation (`operation` is then a placeholder):
   * the metrics' operation label and the span say this instead, and the usage ledger records none.
   */
  endpoint?: LocalEndpoint;
}

/**
 * Answers that are no model operation (RequestContext.endpoint): the model list and a model's
 * entry, Anthropic's count_tokens, a caller's own usage, OpenAI's stored responses (`stored_response`: retrieve, delete,
 * cancel, input items, input tokens, forwarded to an openai or azure provider), a CORS preflight, the prompt APIs'
 * OpenAPI document (`prompt_api`), and a path the data plane does not serve (`other`: never the
 * path itself, which is the client's to write).
 */
export type LocalEndpoint = 'models' | 'count_tokens' | 'own_usage' | 'preflight' | 'prompt_api' | 'stored_response' | 'other';

/** The usage a failed attempt's provider reported (ctx.failedAttemptUsage), priced at that attempt's target. */
export interface AttemptUsage {
  usage: Usage;
  target: Target;
}

/** An upstream attempt that failed (ctx.failedAttempts); a refusal of the gateway's own before any call is none. */
export interface FailedAttempt {
  /** Its number (ctx.attempts while it ran). */
  attempt: number;
  /** performance.now() when it was sent to the provider; 0 when it failed before. */
  startedAt: number;
  /** performance.now() when it failed. */
  endedAt: number;
  /** performance.now() when its provider first reported from a 200 stream (Anthropic's message_start) before the attempt was cut; absent when it never did. */
  answeredAt?: number;
  code: string;
  /** The error's HTTP status (for a provider's error answer, the status the gateway maps it to). */
  status: number;
  /** The provider it went to (a fallback may go to another). */
  provider: string;
}
