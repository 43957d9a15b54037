import { defineProvider } from '../define-provider.ts';

/**
 * Amazon Bedrock's Converse API (chat) and InvokeModel (Titan and Cohere embeddings), signed with
 * SigV4 from AWS credentials (options.access_key_id, secret_access_key, session_token;
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or sent with a Bedrock API key as a
 * bearer token (api_key; AWS_BEARER_TOKEN_BEDROCK), as AWS's SDKs read them. The endpoint follows
 * the region (options.region; AWS_REGION, else AWS_DEFAULT_REGION) unless base_url names one.
 * Either credential enables it with no config. See README.md beside this file.
 */
export const bedrockDefinition = defineProvider({
  type: 'bedrock',
  description: 'Amazon Bedrock (Converse API; SigV4 or a Bedrock API key)',
  defaultBaseUrl: '',
  env: {
    apiKey: 'AWS_BEARER_TOKEN_BEDROCK',
    baseUrl: 'BEDROCK_BASE_URL',
    options: { access_key_id: 'AWS_ACCESS_KEY_ID', secret_access_key: 'AWS_SECRET_ACCESS_KEY', session_token: 'AWS_SESSION_TOKEN', region: 'AWS_REGION', default_region: 'AWS_DEFAULT_REGION' },
    enabledBy: ['AWS_ACCESS_KEY_ID'],
  },
  requiresApiKey: false,
  implementation: async () => {
    const { BedrockProvider } = await import('./bedrock-provider.ts');
    return (settings, dependencies) => new BedrockProvider(settings, dependencies);
  },
});
