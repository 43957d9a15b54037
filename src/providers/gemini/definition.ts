import { defineProvider } from '../define-provider.ts';

/** Google's Gemini API (AI Studio): GEMINI_API_KEY, GEMINI_BASE_URL (a host, as in Google's SDKs). */
export const geminiDefinition = defineProvider({
  type: 'gemini',
  description: 'Google Gemini API (AI Studio / Generative Language API)',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  env: { apiKey: 'GEMINI_API_KEY', baseUrl: 'GEMINI_BASE_URL' },
  requiresApiKey: true,
  optionNames: ['safety_settings', 'embedding_task_type'],
  implementation: async () => {
    const { GeminiProvider } = await import('./gemini-provider.ts');
    return (settings, dependencies) => new GeminiProvider(settings, dependencies);
  },
});
