import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { RecordedRequest, StandInHandler } from '../../helpers/stand-in-server.ts';
import type { Reply } from '../../helpers/provider-replies.ts';

// A vertex provider configured with no credential file asks the metadata server for tokens: no test
// here may reach a real one (169.254.169.254). Tests of that path point this at their stand-in.
process.env.GCE_METADATA_HOST ??= '127.0.0.1:9';

/** The test service account's key pair, made fresh for each test process. */
export const testKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const privateKeyPem = testKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
export const clientEmail = 'tollgate-test@my-project.iam.gserviceaccount.com';
export const privateKeyId = '5b2d0c1e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c';
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';
/** The audience of a service account's assertion: Google's token endpoint, whichever endpoint the file's token_uri names. */
export const googleTokenAudience = 'https://oauth2.googleapis.com/token';
/** What the stand-in's metadata server names as the project. */
export const metadataProject = 'metadata-project';
/** An external_account file's subject token (a Kubernetes service account's OIDC token, say), and its pool. */
export const subjectToken = 'k8s-projected-service-account-token-for-tests';
export const workloadPoolAudience = '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/tollgate-pool/providers/k8s';

/** The authorized_user file's secrets, as `gcloud auth application-default login` writes them. */
export const authorizedUser = { client_id: '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com', client_secret: 'd-FL95Q19q7MQmFpd7hHD0Ty', refresh_token: '1//0gRefreshTokenForTests-abcdef' };

const directory = mkdtempSync(join(tmpdir(), 'tollgate-vertex-'));
process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
let files = 0;

/** Writes a credential file into a temporary directory and returns its path. */
export function writeCredentialsFile(contents: unknown): string {
  const path = join(directory, `credentials-${++files}.json`);
  writeFileSync(path, typeof contents === 'string' ? contents : JSON.stringify(contents, null, 2));
  return path;
}

/** A service-account key file as the Cloud console downloads it, its token_uri pointing at the stand-in. */
export function serviceAccountFile(tokenUri: string, extra: Record<string, unknown> = {}): string {
  return writeCredentialsFile({
    type: 'service_account',
    project_id: 'file-project',
    private_key_id: privateKeyId,
    private_key: privateKeyPem,
    client_email: clientEmail,
    client_id: '104742937211453283371',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
    ...extra,
  });
}

/**
 * A workload identity federation file as `gcloud iam workload-identity-pools create-cred-config`
 * writes it for a Kubernetes cluster: the subject token read from a file, traded at `tokenUrl`
 * (the stand-in's STS) for a federated access token.
 */
export function externalAccountFile(tokenUrl: string, extra: Record<string, unknown> = {}): string {
  const tokenFile = writeCredentialsFile(subjectToken);
  return writeCredentialsFile({
    type: 'external_account',
    audience: workloadPoolAudience,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: tokenUrl,
    credential_source: { file: tokenFile, format: { type: 'text' } },
    universe_domain: 'googleapis.com',
    ...extra,
  });
}

export function vertexFixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/vertex/${name}`, import.meta.url));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

/**
 * One stand-in for Google: its OAuth token endpoint at /token, which checks a service account's
 * JWT assertion as Google does (RS256 signature against the test key's public half, grant type,
 * issuer, audience, scope, an hour's lifetime) or an authorized user's refresh token; its STS at
 * /sts, which checks an external account's token exchange; a GCE/GKE metadata server under
 * /computeMetadata/v1/, which answers only requests with `Metadata-Flavor: Google` (as the real
 * one does, against SSRF); and Vertex AI under /v1/projects/..., which refuses any bearer token it
 * did not issue with Google's 401 before `reply` answers.
 */
export class GoogleStandIn {
  /** Access tokens issued, in order. */
  readonly issued: string[] = [];
  /** Tokens accepted without being issued (an api_key given as an access token). */
  readonly accepted = new Set<string>();
  /** What the token endpoint found wrong with a request (none in a passing test). */
  readonly problems: string[] = [];
  /** Refuse an assertion whose iat is not the real time, as Google does (off for tests that move the clock). */
  checkIssuedAt = true;
  /** expires_in of the tokens issued. */
  expiresIn = 3600;
  /** How long the token endpoint takes (concurrent callers must share one request). */
  tokenDelayMs = 0;
  /** Answers token requests instead of issuing tokens, when set. */
  tokenReply: Reply | null = null;
  /** Answers Vertex calls whose bearer token is good. */
  reply: Reply = (_request, response) => json(response, 500, { error: { code: 500, message: 'no reply set', status: 'INTERNAL' } });
  /** Every request, token and Vertex calls alike. */
  readonly requests: RecordedRequest[] = [];

  /** The Vertex calls (not the token requests). */
  vertexRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith('/v1/'));
  }

  tokenRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path === '/token');
  }

  stsRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path === '/sts');
  }

  metadataRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith('/computeMetadata/'));
  }

  reset(): void {
    this.requests.length = 0;
    this.problems.length = 0;
  }

  readonly handler: StandInHandler = async (request, response) => {
    this.requests.push(request);
    if (request.path === '/token') return this.#token(request, response);
    if (request.path === '/sts') return this.#sts(request, response);
    if (request.path.startsWith('/computeMetadata/')) return this.#metadata(request, response);
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (bearer === undefined || (!this.issued.includes(bearer) && !this.accepted.has(bearer))) return json(response, 401, vertexFixture('error-401-unauthenticated.json'));
    return this.reply(request, response);
  };

  async #token(request: RecordedRequest, response: ServerResponse): Promise<void> {
    if (this.tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
    if (this.tokenReply) return this.tokenReply(request, response);
    const problem = await this.#check(request);
    if (problem !== null) {
      this.problems.push(problem);
      return json(response, 400, { error: 'invalid_grant', error_description: problem });
    }
    json(response, 200, { access_token: this.#issue(), expires_in: this.expiresIn, token_type: 'Bearer' });
  }

  #issue(): string {
    const token = `ya29.c.test-access-token-${this.issued.length + 1}`;
    this.issued.push(token);
    return token;
  }

  /** Google's STS (RFC 8693 token exchange): the external account's subject token for a federated access token. */
  async #sts(request: RecordedRequest, response: ServerResponse): Promise<void> {
    if (this.tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
    if (this.tokenReply) return this.tokenReply(request, response);
    const form = new URLSearchParams(request.body);
    const expected: Record<string, string> = {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: workloadPoolAudience,
      scope: cloudPlatformScope,
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    };
    const wrong = Object.entries(expected).find(([field, value]) => form.get(field) !== value);
    if (request.method !== 'POST' || wrong) {
      const problem = wrong ? `wrong ${wrong[0]}: ${String(form.get(wrong[0]))}` : `method ${request.method}`;
      this.problems.push(problem);
      return json(response, 400, { error: 'invalid_request', error_description: problem });
    }
    json(response, 200, { access_token: this.#issue(), issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: this.expiresIn });
  }

  /** The metadata server: the default service account's token and the project id, only for requests that say `Metadata-Flavor: Google`. */
  #metadata(request: RecordedRequest, response: ServerResponse): void {
    const flavored = (status: number, contentType: string, body: string) => {
      response.writeHead(status, { 'content-type': contentType, 'metadata-flavor': 'Google' });
      response.end(body);
    };
    if (request.headers['metadata-flavor'] !== 'Google') {
      this.problems.push(`metadata request without Metadata-Flavor: ${request.path}`);
      return flavored(403, 'text/html', 'Missing required header "Metadata-Flavor": "Google"');
    }
    const url = new URL(request.path, 'http://metadata');
    if (request.method === 'GET' && url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token') {
      if (this.tokenReply) return void this.tokenReply(request, response);
      const scopes = url.searchParams.get('scopes');
      if (scopes !== null && scopes !== cloudPlatformScope) this.problems.push(`metadata token scopes ${scopes}`);
      return flavored(200, 'application/json', JSON.stringify({ access_token: this.#issue(), expires_in: this.expiresIn, token_type: 'Bearer' }));
    }
    if (request.method === 'GET' && url.pathname === '/computeMetadata/v1/project/project-id') return flavored(200, 'application/text', metadataProject);
    flavored(404, 'text/html', 'Not Found');
  }

  /** What Google would refuse about this token request, or null. */
  async #check(request: RecordedRequest): Promise<string | null> {
    if (request.method !== 'POST') return `method ${request.method}`;
    if (!/^application\/x-www-form-urlencoded\b/.test(String(request.headers['content-type']))) return `content-type ${String(request.headers['content-type'])}`;
    const form = new URLSearchParams(request.body);
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      for (const [field, value] of Object.entries(authorizedUser)) if (form.get(field) !== value) return `wrong ${field}`;
      return null;
    }
    if (grant !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return `grant_type ${String(grant)}`;
    const assertion = form.get('assertion') ?? '';
    try {
      const header = decodeProtectedHeader(assertion);
      if (header.alg !== 'RS256') return `header ${JSON.stringify(header)}`;
      const { payload } = await jwtVerify(assertion, testKeys.publicKey, { algorithms: ['RS256'], issuer: clientEmail, audience: googleTokenAudience });
      if (payload.scope !== cloudPlatformScope) return `scope ${String(payload.scope)}`;
      if (typeof payload.iat !== 'number' || payload.exp !== payload.iat + 3600) return 'exp is not iat + 1 h';
      if (this.checkIssuedAt && Math.abs(payload.iat - Date.now() / 1000) > 60) return 'iat is not now';
    } catch (error) {
      return `assertion: ${error instanceof Error ? error.message : String(error)}`;
    }
    return null;
  }
}
