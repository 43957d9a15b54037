import { defineProvider } from '../define-provider.ts';
import type { CreateProvider } from '../provider.ts';

/** The OpenAI passthrough serves both OpenAI itself and any OpenAI-compatible service. */
async function openaiImplementation(): Promise<CreateProvider> {
  const { OpenAIProvider } = await import('./openai-provider.ts');
  return (settings, dependencies) => new OpenAIProvider(settings, dependencies);
}

/** OpenAI itself: OPENAI_API_KEY, OPENAI_BASE_URL (with /v1, as in OpenAI's SDKs). */
export const openaiDefinition = defineProvider({
  type: 'openai',
  description: 'OpenAI API',
  defaultBaseUrl: 'https://api.openai.com/v1',
  env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  requiresApiKey: true,
  optionNames: ['stream_usage'],
  implementation: openaiImplementation,
});

/** Any service that speaks the OpenAI API; base_url is required in the config. */
export const openaiCompatibleDefinition = defineProvider({
  type: 'openai-compatible',
  description: 'Any OpenAI-compatible API (vLLM, LM Studio, llama.cpp, Ollama /v1, ...)',
  defaultBaseUrl: 'http://127.0.0.1:8080/v1',
  env: {},
  requiresApiKey: false,
  optionNames: ['stream_usage'],
  implementation: openaiImplementation,
});
