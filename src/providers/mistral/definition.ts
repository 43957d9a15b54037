import type { CreateProvider } from '../provider.ts';

/**
 * The `mistral` preset's adapter (its row is in presets/preset-table.ts): MistralProvider, the
 * OpenAI passthrough with Mistral's request and answer fixes, imported when a config uses it.
 */
export async function mistralImplementation(): Promise<CreateProvider> {
  const { MistralProvider } = await import('./mistral-provider.ts');
  return (settings, dependencies) => new MistralProvider(settings, dependencies);
}
