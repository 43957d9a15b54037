import { z } from 'zod';

/**
 * The YAML configuration users write (DESIGN.md "The configuration users write").
 * Every field has a one-line description: they feed the published JSON Schema and the README.
 * Plugin configs are validated by each plugin's own schema when the pipeline is compiled.
 */

const port = z.number().int().min(0).max(65535);
const url = z.url({ error: (issue) => `expected a URL, got ${JSON.stringify(issue.input)}` });

export const durationSchema = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'expected a duration such as 500ms, 30s, 5m')])
  .describe('A duration: milliseconds as a number, or a string such as 500ms, 30s, 5m.');

export const timeoutsSchema = z
  .object({
    connect: durationSchema.optional().describe('Time to open the TCP/TLS connection to the provider.'),
    first_byte: durationSchema.optional().describe('Time from sending the request to the response headers.'),
    idle: durationSchema.optional().describe('Longest gap between two pieces of the response body (stream chunks).'),
    total: durationSchema.optional().describe('Deadline for a whole upstream attempt, streams included.'),
  })
  .strict();

export const serverSchema = z
  .object({
    port: port.default(8000).describe('Data-plane port (the OpenAI-compatible API).'),
    host: z.string().default('0.0.0.0').describe('Data-plane bind address.'),
    body_limit: z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|kib|mib)$/i)]).default('10mib').describe('Largest request body accepted; larger bodies get 413.'),
    drain_timeout: durationSchema.default('30s').describe('On SIGTERM/SIGINT, how long in-flight requests and streams may finish before connections are closed.'),
    keep_alive_timeout: durationSchema.default('65s').describe('How long an idle client connection is kept open.'),
  })
  .strict();

export const adminTokenSchema = z
  .object({
    token: z.string().describe('Bearer token for the Admin API; an empty value (an unset variable) disables the entry.'),
    role: z.enum(['admin', 'viewer']).default('admin').describe('admin may read and write; viewer may only read.'),
  })
  .strict();

export const adminSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run the Admin API listener (health, readiness, metrics, management).'),
    port: port.default(8001).describe('Admin API port.'),
    host: z.string().default('127.0.0.1').describe('Admin API bind address; keep it private.'),
    tokens: z
      .array(adminTokenSchema)
      .default([])
      .transform((tokens) => tokens.filter((entry) => entry.token !== ''))
      .describe('Admin API tokens; entries with an empty token are ignored.'),
  })
  .strict();

export const logSchema = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info').describe('Lowest level written.'),
    format: z.enum(['json', 'pretty', 'auto']).default('auto').describe('json for machines, pretty for terminals; auto picks pretty on a TTY.'),
    access_log: z.boolean().default(true).describe('One line per request with id, model, provider, status and latencies.'),
  })
  .strict();

export const providerSchema = z
  .object({
    type: z.string().min(1).describe('Provider type: openai, openai-compatible, echo, or another registered adapter/preset.'),
    api_key: z.string().optional().describe('The provider credential; usually "${ENV_VAR}". Never logged or returned.'),
    base_url: url.optional().describe('Endpoint of the provider API; each type has a default.'),
    models: z.array(z.string().min(1)).optional().describe('Models this provider serves; listed by GET /v1/models and used to resolve plain model names.'),
    byok: z.boolean().default(false).describe('Let a client send its own provider key (Authorization: Bearer <provider key>) instead of the configured one.'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra headers sent with every request to this provider.'),
    timeouts: timeoutsSchema.optional().describe('Upstream timeouts for this provider (override the global upstream.timeouts).'),
    options: z.record(z.string(), z.unknown()).optional().describe('Adapter-specific settings (e.g. api_version for azure).'),
  })
  .strict();

export const targetSchema = z
  .object({
    provider: z.string().min(1).describe('A provider name from providers: (or a zero-config provider type).'),
    model: z.string().min(1).describe("The provider's own model name."),
    weight: z.number().nonnegative().default(1).describe('Share of traffic for the weighted strategy.'),
    priority: z.number().int().optional().describe('Order for the priority strategy (lower first; list order otherwise).'),
  })
  .strict();

export const strategySchema = z.enum(['priority', 'weighted', 'least-busy', 'lowest-latency', 'lowest-cost', 'consistent-hash']);

export const modelGroupSchema = z
  .object({
    strategy: strategySchema.default('priority').describe('How a target is chosen among the group.'),
    targets: z.array(targetSchema).min(1).describe('Where requests for this model name may go.'),
  })
  .strict();

export const routeSchema = z
  .object({
    name: z.string().optional().describe('A name for logs and headers; defaults to the route index.'),
    match: z
      .object({
        model: z.string().optional().describe('Model name or glob (* and ?) the client sends.'),
        path: z.string().optional().describe('Request path or glob, e.g. /v1/chat/completions.'),
        headers: z.record(z.string(), z.string()).optional().describe('Header values that must match exactly.'),
      })
      .strict()
      .default({}),
    model: z.string().optional().describe('Send matching requests to this model group instead of the requested model.'),
    fallbacks: z.array(z.string()).default([]).describe('Model groups or provider/model names tried in order when the route fails before the first byte.'),
    plugins: z.record(z.string(), z.unknown()).default({}).describe('Plugins for this route (override global plugin configs of the same name).'),
  })
  .strict();

export const upstreamSchema = z
  .object({
    timeouts: timeoutsSchema.default({}).describe('Default upstream timeouts.'),
    connections: z.number().int().positive().default(256).describe('Most open connections per provider origin.'),
    keep_alive_timeout: durationSchema.default('30s').describe('How long an idle upstream connection is kept.'),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default(serverSchema.parse({})),
    admin: adminSchema.default(adminSchema.parse({})),
    log: logSchema.default(logSchema.parse({})),
    storage: z.string().default('sqlite:./data/tollgate.db').describe('Where state lives: sqlite:PATH or postgres://... (used by the identity and usage modules).'),
    redis: z.string().optional().describe('redis://host:port for limits and cache shared by several nodes.'),
    upstream: upstreamSchema.default(upstreamSchema.parse({})),
    providers: z.record(z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'provider names use letters, digits, _ . -'), providerSchema).default({}).describe('Providers by name.'),
    models: z.record(z.string(), modelGroupSchema).default({}).describe('Model aliases and groups clients can name.'),
    routes: z.array(routeSchema).default([]).describe('Matching rules evaluated in order; first match wins.'),
    plugins: z.record(z.string(), z.unknown()).default({}).describe('Global plugins by name with their config.'),
    zero_config: z.boolean().default(true).describe('Enable provider types whose <TYPE>_API_KEY is in the environment.'),
  })
  .strict();

export type TollgateConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelGroupConfig = z.infer<typeof modelGroupSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;

/** The JSON Schema users can point their editor at (`tollgate config schema`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
