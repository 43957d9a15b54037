import { defineProvider } from '../define-provider.ts';
import type { ProviderDefinition } from '../provider.ts';
import type { PresetSpec } from './preset-spec.ts';
import { presetTable } from './preset-table.ts';

/** A provider definition for one preset: `<PREFIX>_API_KEY` / `<PREFIX>_BASE_URL` in zero-config. */
export function presetDefinition(spec: PresetSpec): ProviderDefinition {
  return defineProvider({
    type: spec.type,
    description: spec.description,
    defaultBaseUrl: spec.defaultBaseUrl,
    env: { apiKey: `${spec.envPrefix}_API_KEY`, baseUrl: `${spec.envPrefix}_BASE_URL` },
    requiresApiKey: spec.requiresApiKey,
    optionNames: ['stream_usage', ...Object.keys(spec.optionHeaders ?? {})],
    implementation:
      spec.implementation ??
      (async () => {
        const { PresetProvider } = await import('./preset-provider.ts');
        return (settings, dependencies) => new PresetProvider(spec, settings, dependencies);
      }),
  });
}

/** Every OpenAI-compatible preset, in table order. */
export const presetDefinitions: readonly ProviderDefinition[] = presetTable.map(presetDefinition);
