import { z } from 'zod';
import { pricingConfigSchema } from '../usage/pricing-config.ts';
import { baseUrlSchema } from './base-url.ts';
import { duplicateRouteNames } from './duplicate-route-names.ts';
import { listenHostSchema, sharedPortProblem } from './listener-problems.ts';
import { redisUrlSchema, storageSchema } from './connection-urls.ts';
import { promptApisSchema } from '../formats/prompt-api/prompt-api-config.ts';
import { customPluginsSchema } from '../plugins/custom/custom-plugins-config.ts';
import { durationPattern, toMilliseconds } from './units.ts';

/**
 * The YAML configuration users write (DESIGN.md "The configuration users write").
 * Every field has a one-line description: they feed the published JSON Schema
 * (config-json-schema.ts) and the README. The built-in plugins' settings are checked by each
 * plugin's own schema, with the rest of the file (plugin-settings-problems.ts) and again when the
 * pipeline is compiled.
 */

const port = z.number().int().min(0).max(65535);

/**
 * A duration is written with its unit. A bare number is refused, 0 excepted: `first_byte: 3` was
 * read as 3 ms when its writer meant seconds, and every call then timed out at once.
 */
const bareDuration = z
  .number()
  .refine((value): boolean => value === 0, { error: (issue) => `a bare number is ambiguous: write the unit, such as ${String(issue.input)}s or ${String(issue.input)}ms (only 0 may go without one)` })
  .meta({ const: 0 });

export const durationSchema = z
  .union([bareDuration, z.string().regex(durationPattern, 'expected a duration such as 500ms, 30s, 5m or 1h')])
  .describe('A duration with its unit: 500ms, 30s, 5m, 1h (a bare number is refused; 0 needs no unit).');

export const timeoutsSchema = z
  .object({
    connect: durationSchema.optional().describe('Time to open the TCP/TLS connection to the provider; 0 turns it off. Default 10s (upstream.timeouts; a provider\'s own timeouts override it).'),
    first_byte: durationSchema.optional().describe('Time from sending the request to the response headers; 0 turns it off. Default 300s.'),
    idle: durationSchema.optional().describe('Longest gap between two pieces of the response body (stream chunks); 0 turns it off. Default 120s.'),
    total: durationSchema.optional().describe('Deadline for a whole upstream attempt, streams included; 0 turns it off. Default 600s.'),
  })
  .strict();

/**
 * Plugin settings by plugin name (`plugins:`, a route's, a consumer's or a team's): each checked
 * by its plugin's own schema, not here. One schema for every place, which the published JSON
 * Schema replaces with the plugins' own schemas (config-json-schema.ts).
 */
export const pluginConfigsSchema = z.record(z.string(), z.unknown());

/** Host names a listener answers (src/server/allowed-hosts.ts): the defence against DNS rebinding. */
const allowedHostsSchema = z
  .array(z.string().regex(/^(\*|(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*)$/i, 'expected a host name such as gateway.internal (no scheme or port), *.example.com for its subdomains, or "*" for any'))
  .default([]);

/** A size in bytes: a number, or a number and its unit (config/units.ts toBytes). */
const sizeSchema = z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|kib|mib)$/i, 'expected a size such as 512kb, 10mib or 32mib, or a number of bytes (kb and mb count 1000s, kib and mib 1024s; the largest unit is mib)')]);

export const serverSchema = z
  .object({
    port: port.default(8000).describe('Data-plane port (the OpenAI-compatible API).'),
    host: listenHostSchema.default('127.0.0.1').describe('Data-plane bind address: an IP address or a host name (loopback unless set; 0.0.0.0 listens on every address).'),
    body_limit: sizeSchema.default('32mib').describe('Largest request body accepted; larger bodies get 413 (32 MiB: Anthropic accepts requests of up to 32 MB, PDFs and images included).'),
    drain_timeout: durationSchema.default('30s').describe('On SIGTERM/SIGINT, how long in-flight requests and streams may finish before connections are closed.'),
    keep_alive_timeout: durationSchema.default('65s').describe('How long an idle client connection is kept open.'),
    request_timeout: durationSchema.default('300s').describe('Longest time a client may take to send a whole request (headers and body); a slower one gets 408 and its connection is closed. 0 turns it off. Applies at the next start.'),
    workers: z
      .union([z.number().int().min(1).max(64), z.literal('auto')])
      .default(1)
      .describe('Gateway processes sharing the data-plane port (one per core: auto). Only the first runs the Admin listener; in-memory limits and caches are per process (use redis: to share them).'),
    cors: z
      .object({
        allow_origins: z
          .array(z.string().regex(/^(\*|[a-z][a-z0-9+.-]*:\/\/[^/\s]+)$/i, 'expected "*" or an origin such as https://app.example.com (scheme and host, no path; *. for subdomains)'))
          .default([])
          .describe('Browser origins whose pages may call the data plane (CORS); a request from any other page is refused (403 origin_not_allowed); empty: none. "*" allows any; https://*.example.com any subdomain; chrome-extension://<id> an extension.'),
        max_age: durationSchema.default('10m').describe('How long a browser may cache a preflight answer.'),
      })
      .strict()
      .default({ allow_origins: [], max_age: '10m' })
      .describe('Cross-origin calls from web pages (off until allow_origins lists some); applied on reload.'),
    allowed_hosts: allowedHostsSchema.describe('Host names the data plane answers besides IP addresses, localhost and *.localhost: checked (421 host_not_allowed) when it listens on a loopback address, or on any once this lists a name. "*": any host; *.example.com: any subdomain. Applied on reload.'),
  })
  .strict();

export const adminTokenSchema = z
  .object({
    token: z.string().describe('Bearer token for the Admin API; an empty value (an unset variable) disables the entry.'),
    role: z.enum(['admin', 'viewer']).default('admin').describe('admin may read and write; viewer may only read.'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64')
      .optional()
      .describe('How the audit log names this token (admin-token:<name>); without one, its place in the list (admin-token:#1).'),
  })
  .strict();

export const adminSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run the Admin API listener (health, readiness, metrics, management).'),
    port: port.default(8001).describe('Admin API port; not the data plane\'s.'),
    host: listenHostSchema.default('127.0.0.1').describe('Admin API bind address; keep it private.'),
    allowed_hosts: allowedHostsSchema.describe('Host names the Admin listener answers besides IP addresses, localhost and *.localhost: checked (421 host_not_allowed) when it listens on a loopback address, or on any once this lists a name. "*": any host. Applies at the next start.'),
    tokens: z
      .array(adminTokenSchema)
      .default([])
      .superRefine((tokens, context) => {
        const seen = new Map<string, number>();
        const names = new Map<string, number>();
        tokens.forEach((entry, index) => {
          if (entry.token === '') return;
          const first = seen.get(entry.token);
          if (first !== undefined) context.addIssue({ code: 'custom', path: [index, 'token'], message: `the same token as admin.tokens[${first}]: one token has one role` });
          else seen.set(entry.token, index);
          if (entry.name === undefined) return;
          const named = names.get(entry.name);
          if (named !== undefined) context.addIssue({ code: 'custom', path: [index, 'name'], message: `the same name as admin.tokens[${named}]: the audit log could not tell them apart` });
          else names.set(entry.name, index);
        });
      })
      .transform((tokens) => tokens.filter((entry) => entry.token !== ''))
      .describe('Admin API tokens; entries with an empty token are ignored; a token listed twice is refused.'),
    auth_failures: z
      .object({
        max: z.number().int().min(1).default(10).describe('Wrong admin tokens one client address may send within window; the last of them locks the address out.'),
        window: durationSchema
          .default('1m')
          .refine((value) => toMilliseconds(value) > 0 && toMilliseconds(value) <= 86_400_000, 'expected a duration above 0 and at most 24h, such as 1m')
          .describe('How long failures are counted, and how long a locked-out address is then refused (429 with Retry-After, whatever its token).'),
      })
      .strict()
      .default({ max: 10, window: '1m' })
      .describe('Throttling of admin token guesses, per client address and per process; applies at the next start.'),
  })
  .strict();

export const logSchema = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info').describe('Lowest level written; access lines (access_log) are written at any level but silent.'),
    format: z.enum(['json', 'pretty', 'auto']).default('auto').describe('json for machines, pretty for terminals; auto picks pretty on a TTY.'),
    access_log: z.boolean().default(true).describe('One line per request with id, model, provider, status and latencies.'),
  })
  .strict();

export const providerSchema = z
  .object({
    type: z.string().min(1).describe('Provider type: openai, openai-compatible, echo, or another registered adapter/preset.'),
    api_key: z.string().optional().describe('The provider credential; usually "${ENV_VAR}". Never logged or returned.'),
    base_url: baseUrlSchema.optional().describe('Endpoint of the provider API, an http:// or https:// URL; each type but openai-compatible and azure (AZURE_OPENAI_ENDPOINT, the resource endpoint) has a default.'),
    models: z.array(z.string().min(1)).optional().describe('Models this provider serves; listed by GET /v1/models and used to resolve plain model names.'),
    strict_params: z.boolean().optional().describe('Refuse (400 unsupported_parameter) requests that set a parameter this provider cannot honour, instead of dropping it with a warning; default: the top-level strict_params.'),
    byok: z.boolean().default(false).describe('Let a client send its own provider key (x-provider-api-key, or Authorization: Bearer <provider key>) instead of the configured one; a provider with no credential of its own then requires it (401 missing_provider_key without one).'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra headers sent with every request to this provider.'),
    timeouts: timeoutsSchema.optional().describe('Upstream timeouts for this provider (override the global upstream.timeouts).'),
    options: z.record(z.string(), z.unknown()).optional().describe('Adapter-specific settings (e.g. api_version for azure).'),
  })
  .strict();

export const targetSchema = z
  .object({
    provider: z.string().min(1).describe('A provider name from providers: (or a zero-config provider type).'),
    model: z.string().min(1).describe("The provider's own model name."),
    weight: z.number().nonnegative().default(1).describe('Share of traffic for the weighted strategy (and virtual nodes for consistent-hash).'),
    priority: z.number().int().optional().describe('Order for the priority strategy and for failover (lower first; list order otherwise).'),
    region: z.string().min(1).optional().describe('A region tag (e.g. eu-west) that routes with region: may restrict themselves to.'),
    input_cost_per_mtok: z.number().nonnegative().optional().describe('Price of a million prompt tokens, for lowest-cost (overrides the price catalog).'),
    output_cost_per_mtok: z.number().nonnegative().optional().describe('Price of a million completion tokens, for lowest-cost (overrides the price catalog).'),
    context_window: z.number().int().positive().optional().describe('Most tokens (prompt + completion) the model accepts, for lowest-cost and context-length fallbacks.'),
  })
  .strict();

export const strategySchema = z.enum(['priority', 'weighted', 'least-busy', 'lowest-latency', 'lowest-cost', 'consistent-hash']);

const keySourcePattern = /^(consumer|key|team|header:[A-Za-z0-9_-]+|metadata:[A-Za-z0-9_.-]+)$/;
export const keySourcesSchema = z
  .array(z.string().regex(keySourcePattern, 'expected consumer, key, team, header:<name> or metadata:<name>'))
  .min(1)
  .describe('Where the stickiness key comes from, first present wins: consumer, key, team, header:<name>, metadata:<name>.');

const retryConditionSchema = z.union([
  z.enum(['connect_error', 'timeout', 'bad_response'], { error: () => 'expected connect_error, timeout, bad_response, or an HTTP status from 400 to 599 as a number (503, not "5xx")' }),
  z.number().int().min(400).max(599),
]);

export const retryBudgetSchema = z
  .object({
    ratio: z.number().min(0).max(10).optional().describe('Retries allowed as a share of first attempts over the window (0.2 = at most 20% extra attempts). Default 0.2.'),
    min_per_second: z.number().min(0).optional().describe('Retries always allowed per second of the window, so quiet groups can still retry. Default 10.'),
    window: durationSchema.optional().describe('The sliding window the budget is counted over. Default 10s.'),
  })
  .strict();

export const retrySchema = z
  .object({
    attempts: z.number().int().min(0).max(20).optional().describe('Most retries in a model group after the first attempt; a retry prefers a target not yet tried, a repeat waits a backoff. Default: each other target once, no repeats.'),
    on: z.array(retryConditionSchema).optional().describe('What is retried: connect_error (refused/reset, or lost after the provider answered, before any byte reached the client), timeout, bad_response and provider statuses. Default [connect_error, timeout, 408, 429, 500, 502, 503, 504].'),
    backoff: z
      .object({
        base: durationSchema.optional().describe('First backoff ceiling; doubles each retry (full jitter picks a delay between 0 and the ceiling). Default 100ms.'),
        max: durationSchema.optional().describe('Largest backoff ceiling. Default 5s.'),
      })
      .strict()
      .optional()
      .describe('Exponential backoff with full jitter before a retry on a target already tried.'),
    retry_after_max: durationSchema.optional().describe('Longest Retry-After the gateway waits for within a request; longer ones fail over instead. Default 10s.'),
    budget: retryBudgetSchema.optional().describe('Caps retries across the whole group so they cannot multiply an outage.'),
  })
  .strict();

export const healthSchema = z
  .object({
    consecutive_failures: z.number().int().min(0).optional().describe('Open the circuit after this many failures in a row (0 = off). Default 5.'),
    error_rate: z
      .object({
        threshold: z.number().min(0).max(1).describe('Open the circuit when the failure share in the window reaches this (0.5 = half).'),
        window: durationSchema.optional().describe('The sliding window. Default 30s.'),
        min_requests: z.number().int().min(1).optional().describe('Fewest attempts in the window before the rate is judged. Default 20.'),
      })
      .strict()
      .optional()
      .describe('Outlier detection by error rate; off unless set.'),
    cooldown: durationSchema.optional().describe('How long an opened circuit stays open before a half-open probe; doubles each time it re-opens. Default 5s.'),
    max_cooldown: durationSchema.optional().describe('Largest open time. Default 5m.'),
    rate_limit_cooldown: durationSchema.optional().describe('Cooldown after a 429 without Retry-After. Default 1s.'),
    fail_fast: z.boolean().optional().describe('When every target of the last group to try is open or cooling down: true answers 503 no_healthy_target at once; false (default) tries them anyway (panic mode), so a false alarm never becomes an outage.'),
  })
  .strict();

export const activeHealthCheckSchema = z
  .object({
    interval: durationSchema.default('10s').describe('Time between two checks of each target.'),
    path: z.string().default('/models').describe("Path below the provider's base_url that is fetched with GET."),
    timeout: durationSchema.default('2s').describe('A check slower than this fails.'),
  })
  .strict();

export const fallbackConditionSchema = z.enum(['retryable', 'rate_limit', 'timeout', 'context_length_exceeded', 'content_filter', 'unavailable']);

export const modelGroupSchema = z
  .object({
    strategy: strategySchema.default('priority').describe('How a target is chosen among the group.'),
    targets: z.array(targetSchema).min(1).describe('Where requests for this model name may go.'),
    hash_on: keySourcesSchema.optional().describe('consistent-hash: where the key comes from. Default [header:x-session-id, consumer].'),
    retry: retrySchema.optional().describe('Retry settings for this group (override routing.retry field by field).'),
    health_check: activeHealthCheckSchema.optional().describe('Active health checks (GET base_url + path per interval), for self-hosted upstreams.'),
  })
  .strict();

export const ruleConditionSchema = z
  .object({
    prompt_tokens_above: z.number().int().nonnegative().optional().describe('The estimated prompt is longer than this many tokens.'),
    prompt_tokens_below: z.number().int().positive().optional().describe('The estimated prompt is shorter than this many tokens.'),
    has_images: z.boolean().optional().describe('The messages contain (true) or do not contain (false) images.'),
    has_tools: z.boolean().optional().describe('The request offers tools or carries tool calls/results (true), or none (false).'),
    last_user_message_matches: z.string().optional().describe('A regular expression the last user message matches; /pattern/flags form allowed.'),
    last_user_message_contains: z.array(z.string().min(1)).min(1).optional().describe('Keywords; any one in the last user message matches (case-insensitive).'),
    headers: z.record(z.string(), z.string()).optional().describe('Request header values that must match exactly.'),
    metadata: z.record(z.string(), z.string()).optional().describe("Caller (consumer/key) metadata values that must match, e.g. { tier: premium }."),
    tier: z.union([z.string(), z.array(z.string()).min(1)]).optional().describe("The consumer's tier (metadata.tier) is this one or one of these."),
  })
  .strict();

export const routeRuleSchema = z
  .object({
    name: z.string().optional().describe('A name for logs; defaults to rules[index].'),
    when: ruleConditionSchema.describe('Conditions that must all hold.'),
    model: z.string().describe('The model group (or alias, provider/model) used when the rule matches.'),
  })
  .strict();

export const splitEntrySchema = z
  .object({
    model: z.string().describe('A model group, alias or provider/model that receives this share.'),
    weight: z.number().positive().describe('Share of traffic (relative to the other entries).'),
    name: z.string().optional().describe('The variant name in x-tollgate-variant and logs; defaults to the model.'),
  })
  .strict();

export const routeSchema = z
  .object({
    name: z.string().optional().describe('A name for logs, headers, the usage ledger and the Admin API; defaults to route-<index> (route-0 for the first route). Unique: a name another route has, or goes by, is refused.'),
    match: z
      .object({
        model: z.string().optional().describe('Model name or glob (* and ?) the client sends.'),
        path: z.string().optional().describe('Request path or glob, e.g. /v1/chat/completions.'),
        headers: z.record(z.string(), z.string()).optional().describe('Header values that must match exactly.'),
        metadata: z.record(z.string(), z.string()).optional().describe('Caller (consumer/key) metadata values that must match, e.g. { tier: premium }; checked once the caller is authenticated.'),
      })
      .strict()
      .default({}),
    model: z.string().optional().describe('Send matching requests to this model group instead of the requested model.'),
    rules: z.array(routeRuleSchema).optional().describe('Content-based rules evaluated in order; the first that matches picks the model group, else the route model.'),
    split: z.array(splitEntrySchema).min(1).optional().describe('Canary / A-B: share traffic between model groups by weight; the variant is named in x-tollgate-variant.'),
    split_on: keySourcesSchema.optional().describe('Stickiness key for split (the same key always gets the same variant). Default [consumer, header:x-session-id].'),
    region: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('Only targets with this region tag (or one of these; globs allowed) may serve the route.'),
    fallbacks: z.array(z.string()).default([]).describe('Model groups or provider/model names tried in order when the route fails before the first byte.'),
    fallback_on: z.array(fallbackConditionSchema).optional().describe('When a fallback is taken (overrides routing.fallback_on).'),
    retry: retrySchema.optional().describe('Retry settings for this route (override the group and routing.retry field by field).'),
    deadline: durationSchema.optional().describe('Total time for all attempts, backoff and fallbacks until a response starts (overrides routing.deadline).'),
    plugins: pluginConfigsSchema.default({}).describe('Plugins for this route (override global plugin configs of the same name).'),
  })
  .strict();

export const routingSchema = z
  .object({
    retry: retrySchema.default({}).describe('Default retry settings for every model group.'),
    health: healthSchema.default({}).describe('Passive health: outlier detection, circuit breaker and cooldowns per target.'),
    fallback_on: z.array(fallbackConditionSchema).default(['retryable', 'rate_limit', 'timeout', 'context_length_exceeded', 'unavailable']).describe('When a route takes its fallbacks (content_filter is opt-in: sending refused content elsewhere is a policy choice).'),
    deadline: durationSchema.optional().describe('Total time for all attempts, backoff and fallbacks until a response starts; none by default (each attempt still has its timeouts).'),
  })
  .strict();

export const upstreamSchema = z
  .object({
    timeouts: timeoutsSchema.default({}).describe('Default upstream timeouts.'),
    connections: z.number().int().positive().default(256).describe('Most open connections per provider origin.'),
    keep_alive_timeout: durationSchema.default('30s').describe('How long an idle upstream connection is kept.'),
    max_response_bytes: sizeSchema.default('64mib').describe('Largest answer read whole (a call not streamed); a larger one fails with 502 upstream_response_too_large, not retried. Streams are not bounded by it.'),
  })
  .strict();

export const usageSchema = z
  .object({
    flush_interval: durationSchema.default('50ms').describe('Longest time a usage record waits in memory before it is written to the store; a crash (kill -9) loses at most this much. While the store cannot be written, retries come every second (or every interval, if longer).'),
    batch_size: z.number().int().min(1).max(1000).default(500).describe('Most usage records per INSERT; a full batch is written at once.'),
    max_queued: z.number().int().min(1).default(100000).describe('Most usage records kept in memory while the store cannot be written; beyond it the oldest are dropped (metric and log).'),
    retention_days: z.number().int().min(0).default(90).describe('Raw usage records older than this are rolled up into daily sums (or deleted, without rollup), at start and daily; 0 keeps them forever.'),
    rollup: z.boolean().default(true).describe('Keep daily sums of the records retention removes, so reports over old periods still add up.'),
  })
  .strict();

/** Plugins for one consumer or team, by its name (`consumers:` and `teams:`). */
export const callerPluginsSchema = z
  .object({
    plugins: pluginConfigsSchema.default({}).describe('Plugins for this caller, by name: they override the route\'s and the global config of the same name for its requests (`false` turns one off); authentication plugins cannot be set here.'),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default(serverSchema.parse({})),
    admin: adminSchema.default(adminSchema.parse({})),
    log: logSchema.default(logSchema.parse({})),
    storage: storageSchema.default('sqlite:./data/tollgate.db').describe('Where state lives: sqlite:PATH (a relative PATH is the working directory’s, not the config file’s folder) or postgres://... (used by the identity and usage modules).'),
    redis: redisUrlSchema.optional().describe('redis://host:port (or rediss:// for TLS) for limits and cache shared by several nodes; the scheme is required.'),
    upstream: upstreamSchema.default(upstreamSchema.parse({})),
    providers: z.record(z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'provider names use letters, digits, _ . - (clients write name/model, so a name holds no /)'), providerSchema).default({}).describe('Providers by name.'),
    models: z.record(z.string(), modelGroupSchema).default({}).describe('Model aliases and groups clients can name.'),
    routes: z.array(routeSchema).default([]).describe('Matching rules evaluated in order; first match wins.'),
    routing: routingSchema.default(routingSchema.parse({})).describe('Retries, fallbacks, health and deadlines shared by every route and model group.'),
    plugins: pluginConfigsSchema.default({}).describe('Global plugins by name with their config.'),
    custom_plugins: customPluginsSchema,
    consumers: z.record(z.string().min(1), callerPluginsSchema).default({}).describe('Plugins per consumer, by the consumer\'s name (a store consumer or a declared key\'s consumer); the most specific config wins: consumer, then team, then route, then global.'),
    teams: z.record(z.string().min(1), callerPluginsSchema).default({}).describe('Plugins per team, by the team\'s name; a consumer\'s own config of the same plugin wins over its team\'s.'),
    apis: promptApisSchema,
    pricing: pricingConfigSchema,
    usage: usageSchema.default(usageSchema.parse({})).describe('The usage ledger (one record per request in the store) and its retention.'),
    strict_params: z.boolean().default(false).describe('Default for providers.<name>.strict_params: refuse instead of dropping parameters a translated provider cannot honour.'),
    zero_config: z.boolean().default(true).describe('Enable provider types whose <TYPE>_API_KEY is in the environment.'),
  })
  .strict()
  // Checks across sections; zod runs them once the rest of the file is valid.
  .superRefine((config, context) => {
    const sharedPort = sharedPortProblem(config.server, config.admin);
    if (sharedPort !== null) context.addIssue({ code: 'custom', path: ['admin', 'port'], message: sharedPort });
    for (const { index, message } of duplicateRouteNames(config.routes)) context.addIssue({ code: 'custom', path: ['routes', index, 'name'], message });
  });

export type TollgateConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelGroupConfig = z.infer<typeof modelGroupSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type CallerPluginsConfig = z.infer<typeof callerPluginsSchema>;
export type RoutingConfig = z.infer<typeof routingSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type HealthConfig = z.infer<typeof healthSchema>;
export type RuleConditionConfig = z.infer<typeof ruleConditionSchema>;
export type FallbackCondition = z.infer<typeof fallbackConditionSchema>;
export type ActiveHealthCheckConfig = z.infer<typeof activeHealthCheckSchema>;
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;
