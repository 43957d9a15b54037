import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it, mock } from 'node:test';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { GoogleAccessTokens } from '../../../src/providers/vertex/google-access-tokens.ts';
import { parseGoogleCredentials, readGoogleCredentials, type GoogleCredentials } from '../../../src/providers/vertex/google-credentials.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { authorizedUser, clientEmail, externalAccountFile, GoogleStandIn, metadataProject, privateKeyPem, serviceAccountFile, subjectToken, writeCredentialsFile } from './google-stand-in.ts';

function credentialsOf(path: string): GoogleCredentials {
  const read = readGoogleCredentials(path);
  assert.ok(!('problem' in read), JSON.stringify(read));
  return read;
}

/** A 502 provider_auth_failed whose message matches `pattern`. */
function authFailure(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof GatewayError, String(error));
    assert.equal(error.status, 502);
    assert.equal(error.code, 'provider_auth_failed');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('credential files', () => {
  it('reads service_account, authorized_user and external_account files', () => {
    const account = credentialsOf(serviceAccountFile('https://oauth2.googleapis.com/token'));
    assert.equal(account.type === 'service_account' && account.projectId, 'file-project');
    const user = credentialsOf(writeCredentialsFile({ type: 'authorized_user', ...authorizedUser, quota_project_id: 'billing-project' }));
    assert.deepEqual(user.type === 'authorized_user' && [user.tokenUri, user.quotaProjectId], ['https://oauth2.googleapis.com/token', 'billing-project']);
    const external = credentialsOf(externalAccountFile('https://sts.googleapis.com/v1/token'));
    assert.equal(external.type, 'external_account');
  });

  it('names what is wrong, never quoting the secrets', () => {
    const problems = [
      parseGoogleCredentials('{'),
      parseGoogleCredentials('[]'),
      parseGoogleCredentials(JSON.stringify({ type: 'service_account', client_email: clientEmail })),
      parseGoogleCredentials(JSON.stringify({ type: 'service_account', client_email: clientEmail, private_key: privateKeyPem.replace('MII', 'XXX') })),
      parseGoogleCredentials(JSON.stringify({ type: 'authorized_user', client_id: 'x' })),
      parseGoogleCredentials(JSON.stringify({ type: 'impersonated_service_account' })),
      parseGoogleCredentials(JSON.stringify({ type: 'service_account', client_email: clientEmail, private_key: privateKeyPem, token_uri: 'http://evil.example.com/token' })),
      parseGoogleCredentials(JSON.stringify({ type: 'external_account', audience: 'a', subject_token_type: 't' })),
      parseGoogleCredentials(JSON.stringify({ type: 'external_account', audience: 'a', subject_token_type: 't', credential_source: { file: '/x' }, token_url: 'http://sts.example.com/v1/token' })),
    ].map((result) => ('problem' in result ? result.problem : 'accepted'));
    assert.deepEqual(problems, [
      'not JSON',
      'not a JSON object',
      'a service_account file needs client_email and private_key',
      'private_key is not a PEM private key',
      'an authorized_user file needs client_id, client_secret and refresh_token',
      'credential type "impersonated_service_account" is not supported (service_account, authorized_user, external_account; or give an access token as api_key)',
      'token_uri must be an https URL',
      'an external_account file needs a credential_source',
      'token_url must be an https URL',
    ]);
  });
});

describe('access tokens from google-auth-library against stand-ins for Google', () => {
  const google = new GoogleStandIn();
  let server: StandIn;

  before(async () => {
    server = await startStandIn(google.handler);
  });
  beforeEach(() => {
    google.reset();
    google.expiresIn = 3600;
    google.tokenReply = null;
    google.tokenDelayMs = 0;
  });
  afterEach(() => mock.timers.reset());
  after(() => server.close());

  function tokens(credentials = credentialsOf(serviceAccountFile(`${server.url}/token`))): GoogleAccessTokens {
    return new GoogleAccessTokens(credentials, 'vertex');
  }

  /** The library reads the clock through Date: the tests move Date alone (timers, sockets and retries run in real time). */
  function mockClock(): (ms: number) => void {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    return (ms) => mock.timers.setTime(Date.now() + ms);
  }

  it("exchanges a service account's JWT, signed with its key, at the file's token_uri; keeps the token until 5 minutes before it expires, then renews it", async () => {
    const advance = mockClock();
    const source = tokens();
    const first = await source.get();
    assert.deepEqual(google.problems, [], 'the stand-in verified the assertion with the public key');
    assert.equal(first, google.issued.at(-1));
    advance(54 * 60_000);
    assert.equal(await source.get(), first);
    assert.equal(google.tokenRequests().length, 1);
    advance(61_000); // 55 min 1 s: inside the 5-minute margin
    const second = await source.get();
    assert.notEqual(second, first);
    assert.equal(google.tokenRequests().length, 2);
    assert.deepEqual(google.problems, []);
  });

  it('an assertion signed with another key is refused: a 502 with the OAuth error, no secret in it', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const source = tokens(credentialsOf(serviceAccountFile(`${server.url}/token`, { private_key: other })));
    await assert.rejects(source.get(), (error: unknown) => {
      authFailure(/the token endpoint answered HTTP 400: invalid_grant \(assertion: signature verification failed\)/)(error);
      assert.doesNotMatch((error as Error).message, /PRIVATE KEY|eyJ/);
      return true;
    });
  });

  it('concurrent callers share one renewal', async () => {
    google.tokenDelayMs = 30;
    const source = tokens();
    const got = await Promise.all(Array.from({ length: 10 }, () => source.get()));
    assert.equal(new Set(got).size, 1);
    assert.equal(google.tokenRequests().length, 1);
  });

  it("an authorized user sends its refresh token to the file's token_uri", async () => {
    const source = tokens(credentialsOf(writeCredentialsFile({ type: 'authorized_user', ...authorizedUser, quota_project_id: 'billing-project', token_uri: `${server.url}/token` })));
    assert.equal(await source.get(), google.issued.at(-1));
    assert.deepEqual(google.problems, []);
    assert.equal(new URLSearchParams(google.tokenRequests()[0].body).get('grant_type'), 'refresh_token');
    assert.equal(source.quotaProject, 'billing-project');
  });

  it('an external account (workload identity federation) trades its subject token at the STS', async () => {
    const source = tokens(credentialsOf(externalAccountFile(`${server.url}/sts`)));
    const first = await source.get();
    assert.deepEqual(google.problems, []);
    assert.equal(first, google.issued.at(-1));
    assert.equal(await source.get(), first, 'cached');
    assert.equal(google.stsRequests().length, 1);
    assert.equal(new URLSearchParams(google.stsRequests()[0].body).get('subject_token'), subjectToken);
  });

  it('a failed renewal falls back to the still-valid token, and is not retried at once; an expired one fails with 502', async () => {
    const advance = mockClock();
    const source = tokens();
    const first = await source.get();
    google.tokenReply = (_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"error":"temporarily_unavailable"}');
    };
    advance(56 * 60_000);
    assert.equal(await source.get(), first);
    const tried = google.tokenRequests().length;
    assert.ok(tried >= 2, 'the renewal was tried (the library retries a 503 itself)');
    assert.equal(await source.get(), first);
    assert.equal(google.tokenRequests().length, tried, 'the second call within the pause did not try again');
    advance(4 * 60_000);
    await assert.rejects(source.get(), authFailure(/the token endpoint answered HTTP 503: temporarily_unavailable/));
  });

  it('invalidate forgets a refused token', async () => {
    const source = tokens();
    const first = await source.get();
    source.invalidate('some-other-token');
    assert.equal(await source.get(), first);
    source.invalidate(first);
    const second = await source.get();
    assert.notEqual(second, first);
    assert.equal(google.tokenRequests().length, 2);
  });

  it('a caller that goes away stops waiting; the renewal goes on for the others', async () => {
    google.tokenDelayMs = 50;
    const source = tokens();
    const controller = new AbortController();
    const leaving = source.get(controller.signal);
    const staying = source.get();
    controller.abort(new Error('client gone'));
    await assert.rejects(leaving, /client gone/);
    assert.equal(await staying, google.issued.at(-1));
    assert.equal(google.tokenRequests().length, 1);
  });

  it('an answer without access_token is a 502', async () => {
    google.tokenReply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"token_type":"Bearer"}');
    };
    await assert.rejects(tokens().get(), authFailure(/could not get a Google access token/));
  });

  it('a token endpoint that cannot be reached is a 502 naming it', async () => {
    await assert.rejects(tokens(credentialsOf(serviceAccountFile('http://127.0.0.1:9/token'))).get(), authFailure(/the token endpoint could not be reached \(ECONNREFUSED\)/));
  });
});

describe('access tokens from the metadata server (GCE, GKE workload identity, Cloud Run)', () => {
  const google = new GoogleStandIn();
  let server: StandIn;
  const saved = process.env.GCE_METADATA_HOST;

  before(async () => {
    server = await startStandIn(google.handler);
    // How Google's libraries (and so google-auth-library) are pointed at another metadata server.
    process.env.GCE_METADATA_HOST = server.url.replace('http://', '');
  });
  beforeEach(() => {
    google.reset();
    google.tokenReply = null;
  });
  after(async () => {
    if (saved === undefined) delete process.env.GCE_METADATA_HOST;
    else process.env.GCE_METADATA_HOST = saved;
    await server.close();
  });

  it("gets the default service account's token with Metadata-Flavor: Google, caches it, and names the project", async () => {
    const source = new GoogleAccessTokens({ type: 'metadata_server' }, 'vertex');
    const first = await source.get();
    assert.equal(first, google.issued.at(-1));
    assert.equal(await source.get(), first);
    assert.deepEqual(google.problems, []);
    const [request] = google.metadataRequests();
    assert.equal(google.metadataRequests().length, 1);
    assert.equal(request.method, 'GET');
    assert.match(request.path, /^\/computeMetadata\/v1\/instance\/service-accounts\/default\/token\b/);
    assert.equal(request.headers['metadata-flavor'], 'Google');
    assert.ok(source.knowsProject);
    assert.equal(await source.defaultProject(), metadataProject);
  });

  it('a metadata server that refuses is a 502 naming it', async () => {
    google.tokenReply = (_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html', 'metadata-flavor': 'Google' });
      response.end('Not Found');
    };
    await assert.rejects(new GoogleAccessTokens({ type: 'metadata_server' }, 'vertex').get(), authFailure(/the metadata server answered HTTP 404/));
  });

  it('a metadata server that cannot be reached is a 502 naming it', async () => {
    process.env.GCE_METADATA_HOST = '127.0.0.1:9';
    try {
      await assert.rejects(new GoogleAccessTokens({ type: 'metadata_server' }, 'vertex').get(), authFailure(/the metadata server could not be reached/));
    } finally {
      process.env.GCE_METADATA_HOST = server.url.replace('http://', '');
    }
  });
});
