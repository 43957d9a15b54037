import { defineProvider } from '../define-provider.ts';

/** Anthropic's Messages API: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL (a host without /v1, as in Anthropic's SDKs). */
export const anthropicDefinition = defineProvider({
  type: 'anthropic',
  description: 'Anthropic Messages API (Claude)',
  defaultBaseUrl: 'https://api.anthropic.com',
  env: { apiKey: 'ANTHROPIC_API_KEY', baseUrl: 'ANTHROPIC_BASE_URL' },
  requiresApiKey: true,
  optionNames: [],
  implementation: async () => {
    const { AnthropicProvider } = await import('./anthropic-provider.ts');
    return (settings, dependencies) => new AnthropicProvider(settings, dependencies);
  },
});
