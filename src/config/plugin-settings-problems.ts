import { authenticationPriority } from '../pipeline/authentication.ts';
import type { PluginDefinition } from '../pipeline/plugin.ts';
import { formatIssues, type ProblemNote } from './format-issues.ts';
import { fieldsAt } from './known-fields.ts';
import { valueAt } from './value-at.ts';

/** `false` or `enabled: false`: the plugin is off there, and its other settings are not read. */
function isDisabled(config: unknown): boolean {
  return config === false || (config !== null && typeof config === 'object' && (config as { enabled?: unknown }).enabled === false);
}

/** The settings a plugin's schema checks: `true`, nothing or `{}` are its defaults; `enabled` is the pipeline's. */
function settingsOf(config: unknown): unknown {
  if (config === null || config === undefined || config === true) return {};
  if (typeof config !== 'object' || Array.isArray(config)) return config;
  const { enabled: _enabled, ...rest } = config as Record<string, unknown>;
  return rest;
}

function mappingOf(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Every place the file configures plugins: global, each route's, each consumer's and team's (`callers` may not set authentication plugins). */
function pluginSections(document: Record<string, unknown>): Array<{ path: PropertyKey[]; configs: Record<string, unknown>; caller: boolean }> {
  const sections: Array<{ path: PropertyKey[]; configs: Record<string, unknown>; caller: boolean }> = [];
  const global = mappingOf(document.plugins);
  if (global) sections.push({ path: ['plugins'], configs: global, caller: false });
  if (Array.isArray(document.routes)) {
    document.routes.forEach((route, index) => {
      const configs = mappingOf(mappingOf(route)?.plugins);
      if (configs) sections.push({ path: ['routes', index, 'plugins'], configs, caller: false });
    });
  }
  for (const kind of ['consumers', 'teams'] as const) {
    for (const [name, entry] of Object.entries(mappingOf(document[kind]) ?? {})) {
      const configs = mappingOf(mappingOf(entry)?.plugins);
      if (configs) sections.push({ path: [kind, name, 'plugins'], configs, caller: true });
    }
  }
  return sections;
}

/**
 * The built-in plugins' settings checked with the rest of the file, by each plugin's own schema,
 * so `config validate` reports them beside the file's other problems and says them as those are
 * said: the value it got and, for an option or a field, the one it most likely meant
 * (`plugins.pii.request: expected one of "block", ..., got "maks" (did you mean "mask"?)`). The
 * pipeline checks them again when it is compiled (compile-pipeline.ts), with the problems this
 * leaves to it: unknown plugin names, custom plugins' settings, a plugin that cannot start with
 * valid settings, an authentication plugin set for a consumer or team.
 * `document`: the file after `${...}` substitution; `note`: what a value's path needs said.
 */
export function pluginSettingsProblems(document: unknown, definitions: ReadonlyMap<string, PluginDefinition>, note?: ProblemNote): string[] {
  const root = mappingOf(document);
  if (root === null) return [];
  return pluginSections(root).flatMap(({ path, configs, caller }) =>
    Object.entries(configs).flatMap(([name, config]) => {
      const definition = definitions.get(name);
      if (definition === undefined || isDisabled(config)) return [];
      if (caller && definition.priority >= authenticationPriority.min) return [];
      const parsed = definition.configSchema.safeParse(settingsOf(config));
      if (parsed.success) return [];
      const prefix = [...path, name];
      return formatIssues(parsed.error.issues, prefix, {
        note,
        valueAt: (at) => valueAt(document, at),
        knownFields: (at) => fieldsAt(definition.configSchema, at.slice(prefix.length)),
      });
    }),
  );
}
