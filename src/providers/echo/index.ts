import type { ProviderDefinition } from '../provider.ts';
import { EchoProvider } from './echo-provider.ts';

/** The built-in test provider: `echo/<anything>` repeats the prompt. Always enabled. */
export const echoDefinition: ProviderDefinition = {
  type: 'echo',
  description: 'Built-in TEST provider: answers with the last user message (no model is called)',
  defaultBaseUrl: 'echo://local',
  env: {},
  requiresApiKey: false,
  alwaysEnabled: true,
  create: (settings) => new EchoProvider(settings),
};
