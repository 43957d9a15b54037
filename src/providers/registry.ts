import type { ProviderDefinition } from './provider.ts';
import { anthropicDefinition } from './anthropic/index.ts';
import { azureDefinition } from './azure/index.ts';
import { echoDefinition } from './echo/index.ts';
import { geminiDefinition } from './gemini/index.ts';
import { openaiCompatibleDefinition, openaiDefinition } from './openai/index.ts';
import { presetDefinitions } from './presets/index.ts';

/** Every provider type the gateway knows, by type name. Add a provider: add its definition here. */
export const providerDefinitions: ReadonlyMap<string, ProviderDefinition> = new Map(
  [echoDefinition, openaiDefinition, openaiCompatibleDefinition, anthropicDefinition, azureDefinition, geminiDefinition, ...presetDefinitions].map((definition) => [definition.type, definition]),
);
