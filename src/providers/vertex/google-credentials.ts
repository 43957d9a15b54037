import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Google's OAuth 2.0 token endpoint: where google-auth-library sends service accounts and users. */
export const googleTokenUri = 'https://oauth2.googleapis.com/token';

/** Google's Security Token Service, which external_account files trade their subject token at by default. */
export const googleStsUri = 'https://sts.googleapis.com/v1/token';

/** A service account's key (`gcloud iam service-accounts keys create`): signs its own JWT assertions. */
export interface ServiceAccountCredentials {
  type: 'service_account';
  clientEmail: string;
  /** The PEM text, checked to be an RSA private key (the library signs RS256 with it). */
  privateKey: string;
  privateKeyId: string | undefined;
  tokenUri: string;
  projectId: string | undefined;
  quotaProjectId: string | undefined;
}

/** A user's application default credentials (`gcloud auth application-default login`): a refresh token. */
export interface AuthorizedUserCredentials {
  type: 'authorized_user';
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenUri: string;
  /** Billed for the calls (the `x-goog-user-project` header), when the file names one. */
  quotaProjectId: string | undefined;
}

/**
 * Workload identity federation (`gcloud iam workload-identity-pools create-cred-config`): a token
 * from another identity provider (a Kubernetes service account's, AWS's, an OIDC file or URL) is
 * traded at Google's STS, optionally for a service account's. The file holds no key of its own.
 */
export interface ExternalAccountCredentials {
  type: 'external_account';
  /** The file's JSON as google-auth-library's external account clients take it. */
  json: Record<string, unknown>;
  quotaProjectId: string | undefined;
}

export type GoogleCredentials = ServiceAccountCredentials | AuthorizedUserCredentials | ExternalAccountCredentials;

/** The credential types the vertex provider reads (the ones Application Default Credentials files hold). */
export const supportedCredentialTypes = ['service_account', 'authorized_user', 'external_account'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * An endpoint a file names, used as is (a test or a private endpoint may name its own). It
 * receives a signed assertion, a refresh token or a subject token, so it must be https, but on a
 * loopback host.
 */
function endpointOf(field: string, value: unknown, fallback: string | undefined): string | undefined | { problem: string } {
  const uri = text(value) ?? fallback;
  if (uri === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { problem: `${field} is not a URL` };
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return { problem: `${field} must be an https URL` };
  return uri;
}

function isProblem(value: unknown): value is { problem: string } {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/** The values of a credential file that must never reach a log or a client (scrubbed from every error). */
export function credentialSecrets(credentials: GoogleCredentials | undefined): string[] {
  if (credentials?.type === 'service_account') return [credentials.privateKey];
  if (credentials?.type === 'authorized_user') return [credentials.clientSecret, credentials.refreshToken];
  if (credentials?.type === 'external_account') return [text(credentials.json.client_secret)].filter((value) => value !== undefined);
  return [];
}

/**
 * Reads the fields of a credential file's JSON. Returns the credentials, or a problem in words
 * that never quote the file's secrets. Other types (impersonated_service_account,
 * external_account_authorized_user, gdch_service_account) are refused: they are not what
 * Application Default Credentials hands a server, and each brings flows of its own.
 */
export function parseGoogleCredentials(json: string): GoogleCredentials | { problem: string } {
  let parsed: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(json);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'not a JSON object' };
    parsed = value as Record<string, unknown>;
  } catch {
    return { problem: 'not JSON' };
  }
  const quotaProjectId = text(parsed.quota_project_id);
  if (parsed.type === 'service_account' || parsed.type === 'authorized_user') {
    const tokenUri = endpointOf('token_uri', parsed.token_uri, googleTokenUri);
    if (isProblem(tokenUri)) return tokenUri;
    if (parsed.type === 'service_account') {
      const clientEmail = text(parsed.client_email);
      const pem = text(parsed.private_key);
      if (!clientEmail || !pem) return { problem: 'a service_account file needs client_email and private_key' };
      let privateKey: KeyObject;
      try {
        privateKey = createPrivateKey({ key: pem, format: 'pem' });
      } catch {
        return { problem: 'private_key is not a PEM private key' };
      }
      if (privateKey.asymmetricKeyType !== 'rsa') return { problem: 'private_key is not an RSA key (Google signs service-account assertions with RS256)' };
      return { type: 'service_account', clientEmail, privateKey: pem, privateKeyId: text(parsed.private_key_id), tokenUri: tokenUri ?? googleTokenUri, projectId: text(parsed.project_id), quotaProjectId };
    }
    const clientId = text(parsed.client_id);
    const clientSecret = text(parsed.client_secret);
    const refreshToken = text(parsed.refresh_token);
    if (!clientId || !clientSecret || !refreshToken) return { problem: 'an authorized_user file needs client_id, client_secret and refresh_token' };
    return { type: 'authorized_user', clientId, clientSecret, refreshToken, tokenUri: tokenUri ?? googleTokenUri, quotaProjectId };
  }
  if (parsed.type === 'external_account') {
    // Google asks that a configuration's URLs be checked before the library uses it: the STS and
    // impersonation endpoints receive the subject token and the federated token.
    if (!text(parsed.audience) || !text(parsed.subject_token_type)) return { problem: 'an external_account file needs audience and subject_token_type' };
    if (parsed.credential_source === null || typeof parsed.credential_source !== 'object') return { problem: 'an external_account file needs a credential_source' };
    for (const [field, fallback] of [['token_url', googleStsUri], ['service_account_impersonation_url', undefined]] as const) {
      const endpoint = endpointOf(field, parsed[field], fallback);
      if (isProblem(endpoint)) return endpoint;
    }
    return { type: 'external_account', json: parsed, quotaProjectId };
  }
  const type = typeof parsed.type === 'string' ? JSON.stringify(parsed.type) : 'missing';
  return { problem: `credential type ${type} is not supported (${supportedCredentialTypes.join(', ')}; or give an access token as api_key)` };
}

/** Reads and parses a credential file (GOOGLE_APPLICATION_CREDENTIALS); a problem names the file, never its contents. */
export function readGoogleCredentials(path: string): GoogleCredentials | { problem: string } {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `cannot read ${path}${code ? ` (${code})` : ''}` };
  }
  const parsed = parseGoogleCredentials(json);
  return 'problem' in parsed ? { problem: `${path}: ${parsed.problem}` } : parsed;
}
