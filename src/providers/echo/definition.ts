import { defineProvider } from '../define-provider.ts';

/** The built-in test provider: `echo/<anything>` repeats the prompt. Always enabled. */
export const echoDefinition = defineProvider({
  type: 'echo',
  description: 'Built-in TEST provider: answers with the last user message (no model is called)',
  defaultBaseUrl: 'echo://local',
  env: {},
  requiresApiKey: false,
  optionNames: ['chunk_delay_ms', 'max_chunks'],
  alwaysEnabled: true,
  implementation: async () => {
    const { EchoProvider } = await import('./echo-provider.ts');
    return (settings) => new EchoProvider(settings);
  },
});
