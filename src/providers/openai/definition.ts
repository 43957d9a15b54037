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

/** Any service that speaks the OpenAI API; base_url is required in the config (no address can be guessed). */
export const openaiCompatibleDefinition = defineProvider({
  type: 'openai-compatible',
  description: 'Any OpenAI-compatible API (vLLM, LM Studio, llama.cpp, Ollama /v1, ...)',
  defaultBaseUrl: '',
  env: {},
  requiresApiKey: false,
  requiresBaseUrl: true,
  optionNames: ['stream_usage'],
  implementation: openaiImplementation,
});
