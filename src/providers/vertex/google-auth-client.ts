import { AwsClient, Compute, IdentityPoolClient, JWT, PluggableAuthClient, UserRefreshClient, gaxios, type AuthClient } from 'google-auth-library';
import { googleTokenUri, type GoogleCredentials } from './google-credentials.ts';

/** The OAuth scope Vertex AI's calls need. */
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/** Where tokens come from: a credential file, or the metadata server of the GCE VM, GKE pod or Cloud Run service the gateway runs on. */
export type GoogleCredentialSource = GoogleCredentials | { type: 'metadata_server' };

/**
 * One token request's timeout (each of the library's retries gets its own): the call is small,
 * whatever the provider's timeouts (a model call may rightly wait minutes).
 */
const tokenRequestTimeoutMs = 30_000;

/**
 * The HTTP client of a client that talks to an OAuth token endpoint. The library sends service
 * accounts to Google's token endpoint whatever the file's token_uri says; a file that names another
 * one (a private endpoint, a test's stand-in) has its exchange sent there, as Google's Python and Go
 * libraries do. The JWT's audience stays Google's token endpoint, which is what Google checks.
 */
function transporterFor(tokenUri: string): gaxios.Gaxios {
  const transporter = new gaxios.Gaxios({ timeout: tokenRequestTimeoutMs });
  if (tokenUri !== googleTokenUri) {
    transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === googleTokenUri) config.url = new URL(tokenUri);
        return config;
      },
    });
  }
  return transporter;
}

/**
 * google-auth-library's client for a credential source, built with the type-specific constructors
 * (not GoogleAuth's ADC search, which also runs `gcloud` and probes the metadata server for a
 * project): JWT for a service account, UserRefreshClient for an authorized user, the external
 * account client the file's credential_source calls for (AWS, an executable, else a file or URL),
 * Compute for the metadata server (GCE_METADATA_HOST, as everywhere in Google's libraries, moves
 * it). The library caches each token and shares one renewal among concurrent callers. Throws
 * when the library refuses the configuration (an external_account file's credential_source).
 */
export function createGoogleAuthClient(source: GoogleCredentialSource): AuthClient {
  const scopes = [cloudPlatformScope];
  switch (source.type) {
    case 'service_account':
      return new JWT({ email: source.clientEmail, key: source.privateKey, keyId: source.privateKeyId, scopes, projectId: source.projectId, quotaProjectId: source.quotaProjectId, transporter: transporterFor(source.tokenUri) });
    case 'authorized_user':
      return new UserRefreshClient({ clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.refreshToken, quotaProjectId: source.quotaProjectId, endpoints: { oauth2TokenUrl: source.tokenUri }, transporter: transporterFor(source.tokenUri) });
    case 'external_account': {
      // ExternalAccountClient.fromJSON's dispatch, without its warning: the file was checked by parseGoogleCredentials.
      const options = { ...source.json, scopes } as ConstructorParameters<typeof IdentityPoolClient>[0] & { credential_source?: { environment_id?: unknown; executable?: unknown } };
      if (options.credential_source?.environment_id) return new AwsClient(options as ConstructorParameters<typeof AwsClient>[0]);
      if (options.credential_source?.executable) return new PluggableAuthClient(options as ConstructorParameters<typeof PluggableAuthClient>[0]);
      return new IdentityPoolClient(options);
    }
    case 'metadata_server':
      return new Compute({ scopes });
  }
}
