import { defineProvider } from '../define-provider.ts';

/**
 * Google Cloud Vertex AI: Gemini models (generateContent) and Claude models (rawPredict), with a
 * bearer token given as api_key or got by google-auth-library from a service_account,
 * authorized_user or external_account JSON file (options.credentials_file;
 * GOOGLE_APPLICATION_CREDENTIALS, as Google's SDKs read it) or, for a configured entry with
 * neither, from the metadata server (GCE, GKE workload identity, Cloud Run). The library is
 * imported with the adapter, only when a config uses this type. Project: options.project
 * (GOOGLE_CLOUD_PROJECT, else ANTHROPIC_VERTEX_PROJECT_ID, else the file's, else the metadata
 * server's); location: options.location (GOOGLE_CLOUD_LOCATION, else CLOUD_ML_REGION; default
 * global). The credential file enables it with no config. See README.md beside this file.
 */
export const vertexDefinition = defineProvider({
  type: 'vertex',
  description: 'Google Cloud Vertex AI (Gemini and Claude; Google credentials, workload identity or an access token)',
  defaultBaseUrl: '',
  env: {
    baseUrl: 'VERTEX_BASE_URL',
    options: {
      project: ['GOOGLE_CLOUD_PROJECT', 'ANTHROPIC_VERTEX_PROJECT_ID'],
      location: ['GOOGLE_CLOUD_LOCATION', 'CLOUD_ML_REGION'],
      credentials_file: 'GOOGLE_APPLICATION_CREDENTIALS',
    },
    enabledBy: ['GOOGLE_APPLICATION_CREDENTIALS'],
  },
  requiresApiKey: false,
  implementation: async () => {
    const { VertexProvider } = await import('./vertex-provider.ts');
    return (settings, dependencies) => new VertexProvider(settings, dependencies);
  },
});
