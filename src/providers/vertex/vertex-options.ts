import { z } from 'zod';
import { ConfigError, formatIssues } from '../../config/format-issues.ts';
import { withoutSecrets } from '../without-secrets.ts';
import { GoogleAccessTokens } from './google-access-tokens.ts';
import { credentialSecrets, readGoogleCredentials, type GoogleCredentials } from './google-credentials.ts';

/** Where calls go when no location is configured: Google's global endpoint (Anthropic's Vertex SDK defaults to it too). */
export const defaultVertexLocation = 'global';

/** `options:` of a vertex provider entry (zero-config fills them from Google's usual variables). */
export const vertexOptionsSchema = z
  .object({
    project: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'expected a Google Cloud project id')
      .optional()
      .describe("Google Cloud project id (GOOGLE_CLOUD_PROJECT, else ANTHROPIC_VERTEX_PROJECT_ID; else the service account file's project_id)."),
    location: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'expected a location such as us-central1, europe-west4, us, eu or global')
      .optional()
      .describe('Vertex AI location: a region (us-central1), a multi-region (us, eu) or global, the default (GOOGLE_CLOUD_LOCATION, else CLOUD_ML_REGION).'),
    credentials_file: z
      .string()
      .min(1)
      .optional()
      .describe('Path of a service_account, authorized_user or external_account JSON credential file (GOOGLE_APPLICATION_CREDENTIALS); without one, a configured entry gets tokens from the metadata server (GCE, GKE, Cloud Run). Its keys are never logged.'),
    safety_settings: z.array(z.unknown()).optional().describe("Gemini's safetySettings array, sent with every Gemini chat request."),
    embedding_task_type: z.string().min(1).optional().describe('task_type of every embedding instance (RETRIEVAL_DOCUMENT, RETRIEVAL_QUERY, SEMANTIC_SIMILARITY, ...).'),
  })
  .strict();

export interface VertexOptions {
  /** The project, or undefined when neither the options, the environment nor the credential file name one. */
  project: string | undefined;
  location: string;
  /** The credential file's contents, or undefined. */
  credentials: GoogleCredentials | undefined;
  /** Access tokens from the credential file or the metadata server, or undefined (an api_key access token, or the client's own, is then needed). */
  tokens: GoogleAccessTokens | undefined;
  /** Why a credential file the environment named cannot be used (zero-config only; a configured entry fails instead). */
  credentialsProblem: string | undefined;
  embeddingTaskType: string | undefined;
}

/**
 * Validates a vertex entry's options once, at config load, reading the credential file and
 * building its google-auth-library client: a file that cannot be read or used is a ConfigError
 * naming the file, never its contents, rather than a failure on every call. When zero-config
 * enabled the provider from GOOGLE_APPLICATION_CREDENTIALS alone (`fromEnvironment`), such a file
 * is left unused with its problem kept for the warning and for the calls' 401: the variable may
 * have been set for another tool, and the gateway must still start. Without a file, tokens come
 * from the metadata server when `metadataServer` says so (a configured entry with no api_key).
 */
export function parseVertexOptions(providerName: string, options: Record<string, unknown>, fromEnvironment = false, metadataServer = false): VertexOptions {
  const parsed = vertexOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigError(`provider '${providerName}'`, formatIssues(parsed.error.issues, ['providers', providerName, 'options']));
  const { project, location, credentials_file: credentialsFile, embedding_task_type: embeddingTaskType } = parsed.data;
  let credentials: GoogleCredentials | undefined;
  let tokens: GoogleAccessTokens | undefined;
  let credentialsProblem: string | undefined;
  if (credentialsFile !== undefined) {
    const read = readGoogleCredentials(credentialsFile);
    let problem = 'problem' in read ? read.problem : undefined;
    if (!('problem' in read)) {
      try {
        tokens = new GoogleAccessTokens(read, providerName);
        credentials = read;
      } catch (error) {
        // The library's words about the configuration (an external_account's credential_source), never the file's secrets.
        problem = `${credentialsFile}: ${withoutSecrets(error instanceof Error ? error.message : String(error), credentialSecrets(read)).slice(0, 300)}`;
      }
    }
    if (problem !== undefined && !fromEnvironment) throw new ConfigError(`provider '${providerName}'`, [`providers.${providerName}.options.credentials_file (or GOOGLE_APPLICATION_CREDENTIALS): ${problem}`]);
    if (problem !== undefined) credentialsProblem = `GOOGLE_APPLICATION_CREDENTIALS: ${problem}`;
  } else if (metadataServer) {
    tokens = new GoogleAccessTokens({ type: 'metadata_server' }, providerName);
  }
  const projectFromFile = credentials?.type === 'service_account' ? credentials.projectId : credentials?.quotaProjectId;
  return { project: project ?? projectFromFile, location: location ?? defaultVertexLocation, credentials, tokens, credentialsProblem, embeddingTaskType };
}
