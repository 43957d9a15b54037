import type { ProviderDefinition } from '../provider.ts';
import { OpenAIProvider } from './openai-provider.ts';

/** OpenAI itself: OPENAI_API_KEY, OPENAI_BASE_URL (with /v1, as in OpenAI's SDKs). */
export const openaiDefinition: ProviderDefinition = {
  type: 'openai',
  description: 'OpenAI API',
  defaultBaseUrl: 'https://api.openai.com/v1',
  env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  requiresApiKey: true,
  create: (settings, dependencies) => new OpenAIProvider(settings, dependencies),
};

/** Any service that speaks the OpenAI API; base_url is required in the config. */
export const openaiCompatibleDefinition: ProviderDefinition = {
  type: 'openai-compatible',
  description: 'Any OpenAI-compatible API (vLLM, LM Studio, llama.cpp, Ollama /v1, ...)',
  defaultBaseUrl: 'http://127.0.0.1:8080/v1',
  env: {},
  requiresApiKey: false,
  create: (settings, dependencies) => new OpenAIProvider(settings, dependencies),
};
