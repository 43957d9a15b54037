import type { Logger } from 'pino';
import type { ProviderConfig, TollgateConfig } from '../config/schema.ts';
import { baseUrlProblem } from '../config/base-url.ts';
import { toMilliseconds } from '../config/units.ts';
import { defaultTimeouts, type UpstreamClient, type UpstreamTimeouts } from '../upstream/upstream-client.ts';
import type { Provider, ProviderDefinition, ProviderSettings } from './provider.ts';
import { providerEntryProblems } from './provider-entry-problems.ts';

export interface BuiltProviders {
  providers: Map<string, Provider>;
  /** Providers that need a credential and have none (usable only with BYOK): a type that requires a key, or one with `byok: true` that holds no credential. */
  withoutCredential: Set<string>;
  problems: string[];
}

/**
 * A total timeout of 0: off, as 0 is for the other three (the upstream client reads a first-byte or
 * idle timeout of 0 as none, undici a connect timeout of 0). The client counts the total from each
 * attempt's start, so 0 would end every attempt at once: it becomes the longest a Node timer can
 * wait (24.8 days), which also keeps the client-stall limit a valid timer (upstream/client-stall.ts).
 */
const totalTimeoutOff = 2_147_483_647;

function timeoutsOf(base: UpstreamTimeouts, config: ProviderConfig['timeouts']): UpstreamTimeouts {
  if (!config) return base;
  const total = config.total === undefined ? base.total : toMilliseconds(config.total);
  return {
    connect: config.connect === undefined ? base.connect : toMilliseconds(config.connect),
    firstByte: config.first_byte === undefined ? base.firstByte : toMilliseconds(config.first_byte),
    idle: config.idle === undefined ? base.idle : toMilliseconds(config.idle),
    total: total === 0 ? totalTimeoutOff : total,
  };
}

function optionsOf(definition: ProviderDefinition, entry: ProviderConfig | undefined, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const options: Record<string, unknown> = { ...entry?.options };
  for (const [option, variables] of Object.entries(definition.env.options ?? {})) {
    if (options[option] !== undefined) continue;
    for (const variable of typeof variables === 'string' ? [variables] : variables) {
      const value = nonEmpty(env[variable]);
      if (value !== undefined) {
        options[option] = value;
        break;
      }
    }
  }
  return options;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A type's API key from the environment: its SDK's variable, else the first alternative that is set. */
function apiKeyFromEnv(definition: ProviderDefinition, env: NodeJS.ProcessEnv): string | undefined {
  for (const variable of [definition.env.apiKey, ...(definition.env.apiKeyAlternatives ?? [])]) {
    const value = variable === undefined ? undefined : nonEmpty(env[variable]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** One provider a config makes: its name, its type's definition and its entry (none for zero-config). */
export interface PlannedProvider {
  name: string;
  definition: ProviderDefinition;
  entry: ProviderConfig | undefined;
}

/**
 * Which providers a config makes: every `providers:` entry, plus (zero-config) each provider type
 * whose API key is in the environment, plus the echo test provider. An entry of an unknown type is
 * a problem, not a provider.
 */
export function planProviders(config: TollgateConfig, definitions: ReadonlyMap<string, ProviderDefinition>, env: NodeJS.ProcessEnv): { planned: PlannedProvider[]; problems: string[] } {
  const planned: PlannedProvider[] = [];
  const names = new Set<string>();
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(config.providers)) {
    problems.push(...providerEntryProblems(name, entry, definitions));
    const definition = definitions.get(entry.type);
    if (!definition) continue;
    planned.push({ name, definition, entry });
    names.add(name);
  }
  for (const definition of definitions.values()) {
    if (names.has(definition.type)) continue;
    const keyInEnv = apiKeyFromEnv(definition, env) !== undefined || (definition.env.enabledBy ?? []).some((variable) => nonEmpty(env[variable]) !== undefined);
    // A keyless type (a local server such as vLLM) is enabled by its base URL instead.
    const keylessUrlInEnv = !definition.requiresApiKey && definition.env.baseUrl !== undefined && nonEmpty(env[definition.env.baseUrl]) !== undefined;
    if (definition.alwaysEnabled || (config.zero_config && (keyInEnv || keylessUrlInEnv))) {
      planned.push({ name: definition.type, definition, entry: undefined });
      names.add(definition.type);
    }
  }
  return { planned, problems };
}

/**
 * Makes the provider instances planProviders names. `<TYPE>_BASE_URL` overrides a zero-config
 * provider's endpoint and an entry's default endpoint (an explicit base_url wins).
 */
export function buildProviders(
  config: TollgateConfig,
  definitions: ReadonlyMap<string, ProviderDefinition>,
  create: (definition: ProviderDefinition, settings: ProviderSettings) => Provider,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): BuiltProviders {
  const providers = new Map<string, Provider>();
  const withoutCredential = new Set<string>();
  const globalTimeouts = timeoutsOf(defaultTimeouts, config.upstream.timeouts);
  const { planned, problems } = planProviders(config, definitions, env);

  for (const { name, definition, entry } of planned) {
    const apiKey = nonEmpty(entry?.api_key) ?? (entry ? undefined : apiKeyFromEnv(definition, env));
    const fromEnv = nonEmpty(entry?.base_url) === undefined && definition.env.baseUrl ? nonEmpty(env[definition.env.baseUrl]) : undefined;
    // The schema judged the config's base_url; one from the environment is judged here, naming its variable.
    const envProblem = fromEnv === undefined || definition.baseUrlMayOmitScheme ? null : baseUrlProblem(fromEnv);
    if (envProblem !== null) problems.push(`${definition.env.baseUrl} (environment variable, the base URL of provider ${name}): ${envProblem}`);
    const baseUrl = nonEmpty(entry?.base_url) ?? fromEnv ?? definition.defaultBaseUrl;
    const settings: ProviderSettings = {
      name,
      type: definition.type,
      apiKey,
      baseUrl,
      models: entry?.models ?? [],
      byok: entry?.byok ?? false,
      headers: entry?.headers ?? {},
      timeouts: timeoutsOf(globalTimeouts, entry?.timeouts),
      options: optionsOf(definition, entry, env),
      strictParams: entry?.strict_params ?? config.strict_params,
      ...(entry ? {} : { fromEnvironment: true }),
    };
    const provider = create(definition, settings);
    // `byok: true` on a provider with no credential of its own (no key, nothing it signs with)
    // says its calls are paid with the clients' keys: a call without one is refused
    // (missing_provider_key), even for a type that needs no key (a local server is left keyless by
    // not setting byok on it).
    const byokOnly = settings.byok && provider.holdsCredential !== true;
    if ((definition.requiresApiKey || byokOnly) && !apiKey) withoutCredential.add(name);
    providers.set(name, provider);
    if (!entry && !definition.alwaysEnabled) logger.debug({ provider: definition.type }, 'provider enabled from the environment');
  }
  return { providers, withoutCredential, problems };
}
