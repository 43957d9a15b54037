import type { ProviderDefinition } from './provider.ts';
import { anthropicDefinition } from './anthropic/definition.ts';
import { azureDefinition } from './azure/definition.ts';
import { bedrockDefinition } from './bedrock/definition.ts';
import { cohereDefinition } from './cohere/definition.ts';
import { echoDefinition } from './echo/definition.ts';
import { geminiDefinition } from './gemini/definition.ts';
import { ollamaDefinition } from './ollama/definition.ts';
import { openaiCompatibleDefinition, openaiDefinition } from './openai/definition.ts';
import { presetDefinitions } from './presets/definition.ts';
import { vertexDefinition } from './vertex/definition.ts';

/**
 * Every provider type the gateway knows, by type name: definitions only (type, endpoint, env
 * names), which building providers from a config needs; each adapter's code is imported when a
 * config uses its type (defineProvider). Add a provider: add its definition here.
 */
export const providerDefinitions: ReadonlyMap<string, ProviderDefinition> = new Map(
  [echoDefinition, openaiDefinition, openaiCompatibleDefinition, anthropicDefinition, azureDefinition, geminiDefinition, vertexDefinition, bedrockDefinition, cohereDefinition, ollamaDefinition, ...presetDefinitions].map((definition) => [definition.type, definition]),
);
