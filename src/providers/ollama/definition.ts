import { defineProvider } from '../define-provider.ts';

/**
 * Ollama's native API (/api/chat, /api/generate, /api/embed): OLLAMA_HOST (a host, with or without a scheme, as
 * Ollama's own CLI reads it) enables it with no config; OLLAMA_API_KEY is sent as a bearer token
 * (ollama.com's hosted models), and a local server needs none.
 */
export const ollamaDefinition = defineProvider({
  type: 'ollama',
  description: 'Ollama (native API: /api/chat, /api/generate, /api/embed)',
  defaultBaseUrl: 'http://127.0.0.1:11434',
  env: { apiKey: 'OLLAMA_API_KEY', baseUrl: 'OLLAMA_HOST' },
  requiresApiKey: false,
  baseUrlMayOmitScheme: true,
  optionNames: ['keep_alive', 'num_ctx'],
  implementation: async () => {
    const { OllamaProvider } = await import('./ollama-provider.ts');
    return (settings, dependencies) => new OllamaProvider(settings, dependencies);
  },
});
