import { defineProvider } from '../define-provider.ts';

/**
 * Cohere's v2 API (/v2/chat, /v2/embed): CO_API_KEY and CO_API_URL, as in Cohere's SDKs;
 * COHERE_API_KEY (the name other tools use) when CO_API_KEY is unset.
 */
export const cohereDefinition = defineProvider({
  type: 'cohere',
  description: 'Cohere (Chat API v2, Embed API v2)',
  defaultBaseUrl: 'https://api.cohere.com',
  env: { apiKey: 'CO_API_KEY', apiKeyAlternatives: ['COHERE_API_KEY'], baseUrl: 'CO_API_URL' },
  requiresApiKey: true,
  optionNames: ['embedding_input_type'],
  implementation: async () => {
    const { CohereProvider } = await import('./cohere-provider.ts');
    return (settings, dependencies) => new CohereProvider(settings, dependencies);
  },
});
