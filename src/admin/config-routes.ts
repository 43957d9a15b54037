import { z } from 'zod';
import type { TollgateConfig } from '../config/schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderSettings } from '../providers/provider.ts';
import { providerDefinitions } from '../providers/registry.ts';
import { adminErrors } from '../errors/admin-errors.ts';
import { errorBody, idParams, listQuery } from './admin-schemas.ts';
import { redactUrlSecrets } from '../config/redact-url-secrets.ts';
import { routeNameOf } from '../config/duplicate-route-names.ts';
import { redactSecrets } from './redact-secrets.ts';
import { invalidRequest, type AdminRouteTable } from './route-table.ts';

/** The running configuration, as the Admin API may show it. */
export interface RunningConfigView {
  config(): TollgateConfig;
  providers(): Iterable<ProviderSettings>;
  /** Whether a readable credential for the provider is stored through the Admin API (it overrides api_key). */
  storedCredential?(providerName: string): boolean;
  /** Whether the provider signs or authenticates with a credential of the config other than `api_key` (Bedrock's AWS keys, Vertex's credential file, Azure's Entra token: Provider.holdsCredential). */
  holdsCredential?(providerName: string): boolean;
}

/** The 405 for a write to a declared resource; `Allow` lists what the path takes (RFC 9110 §15.5.6: a 405 must). */
function declarative(resource: string): GatewayError {
  return new GatewayError({
    status: 405,
    type: 'invalid_request_error',
    code: 'declarative_resource',
    message: `${resource} are declared in the YAML config and are read-only through the Admin API; change the file (the gateway reloads it on save or SIGHUP).`,
    headers: { allow: 'GET, HEAD' },
  });
}

const source = z.enum(['config', 'environment', 'built_in']).describe('config: declared in the YAML; environment: enabled by zero-config from <TYPE>_API_KEY; built_in: always there (the echo test provider).');
const provider = z.object({
  id: z.string(),
  type: z.string(),
  base_url: z.string(),
  models: z.array(z.string()),
  byok: z.boolean(),
  api_key_set: z.boolean().describe('Whether a credential is configured; the credential itself is never returned.'),
  header_names: z.array(z.string()).describe('Names of extra headers sent upstream (values are not shown).'),
  has_credential: z.boolean().describe('Whether a credential is in effect (stored through PUT /providers/{id}/credential, or api_key, AWS keys, a Google credential file or an Entra token, from the config or the environment); never the credential itself.'),
  credential_source: z.enum(['store', 'config', 'environment']).nullable().describe('Where the credential in effect comes from: store (the Admin API) overrides config and environment.'),
  source,
});
const modelGroup = z.object({ id: z.string(), strategy: z.string(), targets: z.array(z.record(z.string(), z.unknown())), source: z.literal('config') });
const route = z.object({ id: z.string(), index: z.number().int(), match: z.record(z.string(), z.unknown()), model: z.string().nullable(), fallbacks: z.array(z.string()), plugins: z.record(z.string(), z.unknown()), source: z.literal('config') });
const plugin = z.object({ id: z.string().describe('The plugin name, or <route id>:<plugin name> for a route-level config.'), name: z.string(), scope: z.string().describe('global, or route:<route id>.'), config: z.unknown().describe('Its config, secrets replaced by ***.'), source: z.literal('config') });

/**
 * A page of a config list. `after` must name an item of the list (a next_cursor it gave): one it
 * does not have is refused, as a stored list's malformed cursor is, rather than read as "from the
 * start" (an item a reload removed since included: start again from the first page).
 */
function page<T extends { id: string }>(items: T[], query: { limit: number; offset?: number; after?: string }, singular: string): { data: T[]; next_cursor: string | null } {
  let start = query.offset ?? 0;
  if (query.after !== undefined) {
    const at = items.findIndex((item) => item.id === query.after);
    if (at === -1) throw invalidRequest([`query.after: expected the next_cursor of a previous page of this list; the running config has no ${singular} ${JSON.stringify(query.after)}`], 'after');
    start = at + 1;
  }
  const data = items.slice(start, start + query.limit);
  return { data, next_cursor: start + query.limit < items.length ? data[data.length - 1].id : null };
}

/**
 * /providers, /models, /routes and /plugins: read-only views of the running YAML configuration
 * (declarative mode). Writes answer 405 declarative_resource, saying where to change them.
 */
export function addConfigRoutes(table: AdminRouteTable, view: RunningConfigView): void {
  const providers = () => {
    const declared = view.config().providers;
    return [...view.providers()].map((settings) => ({
      id: settings.name,
      type: settings.type,
      base_url: redactUrlSecrets(settings.baseUrl),
      models: settings.models,
      byok: settings.byok,
      api_key_set: settings.apiKey !== undefined && settings.apiKey !== '',
      header_names: Object.keys(settings.headers),
      ...credentialState(settings, settings.name in declared),
      source: sourceOf(settings, settings.name in declared),
    }));
  };
  const sourceOf = (settings: ProviderSettings, declaredInConfig: boolean) => {
    if (declaredInConfig) return 'config' as const;
    return providerDefinitions.get(settings.type)?.alwaysEnabled ? ('built_in' as const) : ('environment' as const);
  };
  const credentialState = (settings: ProviderSettings, declaredInConfig: boolean) => {
    if (view.storedCredential?.(settings.name)) return { has_credential: true, credential_source: 'store' as const };
    if ((settings.apiKey !== undefined && settings.apiKey !== '') || view.holdsCredential?.(settings.name) === true) return { has_credential: true, credential_source: declaredInConfig ? ('config' as const) : ('environment' as const) };
    return { has_credential: false, credential_source: null };
  };
  const models = () => Object.entries(view.config().models).map(([name, group]) => ({ id: name, strategy: group.strategy, targets: group.targets.map((target) => redactSecrets(target) as Record<string, unknown>), source: 'config' as const }));
  const routes = () =>
    view.config().routes.map((entry, index) => ({
      id: routeNameOf(entry, index),
      index,
      match: redactSecrets(entry.match) as Record<string, unknown>,
      model: entry.model ?? null,
      fallbacks: entry.fallbacks,
      plugins: redactSecrets(entry.plugins) as Record<string, unknown>,
      source: 'config' as const,
    }));
  const plugins = () => [
    ...Object.entries(view.config().plugins).map(([name, config]) => ({ id: name, name, scope: 'global', config: redactSecrets(config), source: 'config' as const })),
    ...routes().flatMap((entry) => Object.entries(entry.plugins).map(([name, config]) => ({ id: `${entry.id}:${name}`, name, scope: `route:${entry.id}`, config, source: 'config' as const }))),
  ];

  const resources: Array<{ path: string; label: string; singular: string; schema: z.ZodType; list: () => Array<{ id: string }> }> = [
    { path: '/providers', label: 'Providers', singular: 'provider', schema: provider, list: providers },
    { path: '/models', label: 'Model groups', singular: 'model group', schema: modelGroup, list: models },
    { path: '/routes', label: 'Routes', singular: 'route', schema: route, list: routes },
    { path: '/plugins', label: 'Plugin configs', singular: 'plugin config', schema: plugin, list: plugins },
  ];
  for (const resource of resources) {
    const tag = resource.path.slice(1);
    table.add({
      method: 'GET', path: resource.path, summary: `List ${resource.label.toLowerCase()} of the running config (read-only)`, tag, access: 'read', query: listQuery,
      response: { status: 200, description: `A page of ${resource.label.toLowerCase()}.`, schema: z.object({ data: z.array(resource.schema), next_cursor: z.string().nullable() }) },
      handle: async ({ query }) => page(resource.list(), query, resource.singular),
    });
    table.add({
      method: 'GET', path: `${resource.path}/:id`, summary: `Get one of the ${resource.label.toLowerCase()} (read-only)`, tag, access: 'read', params: idParams,
      response: { status: 200, description: `The ${resource.singular}.`, schema: resource.schema },
      handle: async ({ params }) => {
        const found = resource.list().find((item) => item.id === params.id);
        if (!found) throw adminErrors.notFound(resource.singular, params.id);
        return found;
      },
    });
    const refuse = async (): Promise<never> => {
      throw declarative(resource.label);
    };
    const refusal = { status: 405, description: `${resource.label} are declared in the YAML; always refused.`, schema: errorBody, headers: { Allow: 'The methods the path takes: GET, HEAD.' } };
    table.add({ method: 'POST', path: resource.path, summary: `Refused: ${resource.label.toLowerCase()} are declared in the YAML`, tag, access: 'write', response: refusal, handle: refuse, alwaysRefused: true });
    table.add({ method: 'PATCH', path: `${resource.path}/:id`, summary: `Refused: ${resource.label.toLowerCase()} are declared in the YAML`, tag, access: 'write', params: idParams, response: refusal, handle: refuse, alwaysRefused: true });
    table.add({ method: 'DELETE', path: `${resource.path}/:id`, summary: `Refused: ${resource.label.toLowerCase()} are declared in the YAML`, tag, access: 'write', params: idParams, response: refusal, handle: refuse, alwaysRefused: true });
  }
}
