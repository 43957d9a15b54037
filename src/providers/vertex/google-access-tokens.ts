import { gcpMetadata, type AuthClient } from 'google-auth-library';
import { createGoogleAuthClient, type GoogleCredentialSource } from './google-auth-client.ts';
import { googleAuthFailure } from './google-auth-failure.ts';
import { credentialSecrets } from './google-credentials.ts';

/** A token that has failed to renew is still used while it has this long left. */
const lastResortMarginMs = 30_000;

/** How long a still-valid token is used before a failed renewal is tried again. */
const retryPauseMs = 10_000;

/**
 * OAuth 2.0 access tokens for Vertex AI from google-auth-library (createGoogleAuthClient): the
 * library caches a token until 5 minutes before it expires and shares one renewal among concurrent
 * callers. Around it, this adds what a gateway needs: a caller that goes away stops waiting (the
 * renewal goes on for the others); a renewal that fails while the old token is still valid falls
 * back to it (trying again after 10 s); a token Vertex refuses is dropped; and a failure is a 502
 * with no secret in it. Tokens and keys are never logged or put in an error.
 */
export class GoogleAccessTokens {
  readonly #client: AuthClient;
  readonly #source: GoogleCredentialSource;
  readonly #provider: string;
  readonly #secrets: string[];
  /** After a failed renewal the still-valid token is used without trying again until then (Unix ms). */
  #retryAt = 0;
  #project: Promise<string | undefined> | null = null;

  /** Throws when the library refuses the credentials (an external_account file's credential_source). */
  constructor(source: GoogleCredentialSource, provider: string) {
    this.#source = source;
    this.#provider = provider;
    this.#secrets = source.type === 'metadata_server' ? [] : credentialSecrets(source);
    this.#client = createGoogleAuthClient(source);
  }

  /** The project billed for the calls (`x-goog-user-project`), when the credential file names one. */
  get quotaProject(): string | undefined {
    return this.#client.quotaProjectId ?? undefined;
  }

  /** Whether the project can be asked of the metadata server (defaultProject). */
  get knowsProject(): boolean {
    return this.#source.type === 'metadata_server';
  }

  /** A valid access token: the library's cached one, or a new one (the caller stops waiting when `signal` aborts). */
  async get(signal?: AbortSignal): Promise<string> {
    const fallback = this.#stillValid();
    if (fallback !== undefined && Date.now() < this.#retryAt) return fallback;
    try {
      const { token } = await untilAborted(this.#client.getAccessToken(), signal);
      if (typeof token !== 'string' || token === '') throw new Error(`${this.#endpoint} answered without an access_token`);
      return token;
    } catch (error) {
      if (signal?.aborted) throw error;
      // Only the token held before this call: one refused since (invalidate) or expired is no fallback.
      const still = this.#stillValid();
      if (still !== undefined && still === fallback) {
        this.#retryAt = Date.now() + retryPauseMs;
        return still;
      }
      throw googleAuthFailure(this.#provider, error, this.#endpoint, this.#secrets);
    }
  }

  /** Forgets a token Google refused (revoked, or expired early), so the next call gets a new one from the library. */
  invalidate(token: string): void {
    const credentials = this.#client.credentials;
    // Marking it expired makes every client type renew (the JWT client's own cache included); the rest (a placeholder refresh token) is kept.
    if (credentials.access_token === token) this.#client.setCredentials({ ...credentials, expiry_date: 1 });
    this.#retryAt = 0;
  }

  /**
   * The project of the VM, pod or service, from the metadata server (`project/project-id`), for a
   * metadata-server source with no project configured; asked once, again after a failure.
   * Undefined when the metadata server names none; a 502 when it cannot be reached.
   */
  async defaultProject(signal?: AbortSignal): Promise<string | undefined> {
    if (this.#source.type !== 'metadata_server') return undefined;
    this.#project ??= gcpMetadata.project('project-id').then(
      (project: unknown) => (typeof project === 'string' && project !== '' ? project : typeof project === 'number' ? String(project) : undefined),
      (error: unknown) => {
        this.#project = null;
        if ((error as { response?: { status?: unknown } }).response?.status === 404) return undefined;
        throw googleAuthFailure(this.#provider, error, this.#endpoint, []);
      },
    );
    return untilAborted(this.#project, signal);
  }

  /** The token the library holds, when it is valid for a while yet. */
  #stillValid(): string | undefined {
    const { access_token: token, expiry_date: expiry } = this.#client.credentials;
    return typeof token === 'string' && token !== '' && typeof expiry === 'number' && expiry - Date.now() > lastResortMarginMs ? token : undefined;
  }

  /** What the messages call the place tokens come from. */
  get #endpoint(): string {
    if (this.#source.type === 'metadata_server') return 'the metadata server';
    return this.#source.type === 'external_account' ? 'the security token service' : 'the token endpoint';
  }
}

/** The promise, or a rejection as soon as `signal` aborts (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
