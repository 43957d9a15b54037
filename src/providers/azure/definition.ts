import { defineProvider } from '../define-provider.ts';

/**
 * Azure OpenAI: AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT (the resource endpoint,
 * https://<resource>.openai.azure.com), as in OpenAI's AzureOpenAI clients. No default endpoint:
 * every resource has its own. The credential may also be options.azure_ad_token, so the core's
 * key check is off and the provider itself reports a missing credential.
 */
export const azureDefinition = defineProvider({
  type: 'azure',
  description: 'Azure OpenAI (deployments)',
  defaultBaseUrl: '',
  env: { apiKey: 'AZURE_OPENAI_API_KEY', baseUrl: 'AZURE_OPENAI_ENDPOINT', options: { api_version: 'OPENAI_API_VERSION' } },
  requiresApiKey: false,
  implementation: async () => {
    const { AzureOpenAIProvider } = await import('./azure-provider.ts');
    return (settings, dependencies) => new AzureOpenAIProvider(settings, dependencies);
  },
});
