import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { ConfigError } from '../../../src/config/format-issues.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { BedrockProvider } from '../../../src/providers/bedrock/bedrock-provider.ts';
import { conversePath, regionOfEndpoint } from '../../../src/providers/bedrock/bedrock-endpoint.ts';
import { parseBedrockOptions } from '../../../src/providers/bedrock/bedrock-options.ts';
import type { ProviderCall, ProviderSettings, ResponseReply } from '../../../src/providers/provider.ts';
import { defaultTimeouts, UpstreamClient } from '../../../src/upstream/upstream-client.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { fixtureBytes } from './event-stream-fixtures.ts';
import { signatureByHand } from './sigv4-by-hand.ts';
import { verifySigV4, type Verdict } from './sigv4-verifier.ts';

const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const profileArn = 'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('bedrock auth against a stand-in that checks SigV4 as AWS does', () => {
  let upstream: StandIn;
  let client: UpstreamClient;
  const verdicts: Verdict[] = [];

  before(async () => {
    client = new UpstreamClient({ connections: 4, keepAliveTimeout: 1000 });
    upstream = await startStandIn(async (request, response) => {
      if (String(request.headers.authorization ?? '').startsWith('Bearer ')) {
        const good = request.headers.authorization === 'Bearer bedrock-api-key-abc123';
        response.writeHead(good ? 200 : 403, good ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/' });
        response.end(good ? fixtureBytes('converse-text.json') : '{"message":"Invalid API Key format: Must start with pre-defined prefix"}');
        return;
      }
      const verdict = await verifySigV4(request, aws);
      verdicts.push(verdict);
      if (verdict.ok) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(fixtureBytes('converse-text.json'));
      } else {
        response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/' });
        response.end('{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}');
      }
    });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    verdicts.length = 0;
  });
  after(async () => {
    await client.close();
    await upstream.close();
  });

  function provider(options: Record<string, unknown>, apiKey?: string): BedrockProvider {
    const settings: ProviderSettings = { name: 'bedrock', type: 'bedrock', apiKey, baseUrl: upstream.url, models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options, strictParams: false };
    return new BedrockProvider(settings, { upstream: client, logger: pino({ level: 'silent' }) });
  }

  function call(model: string, apiKey?: string): ProviderCall {
    const request: ChatRequest = { model, messages: [{ role: 'user', content: 'Grüß dich 🌸' }] };
    return { operation: 'chat', model, request, rawBody: null, rawModelUnchanged: false, stream: false, apiKey, signal: new AbortController().signal, requestId: 'req-1', clientFormat: 'openai' };
  }

  it('SigV4: signs host, path (an ARN model id, encoded), body and date; the stand-in recomputes the same signature', async () => {
    const reply = (await provider({ access_key_id: aws.accessKeyId, secret_access_key: aws.secretAccessKey, region: 'us-west-2' }).send(call(profileArn))) as ResponseReply;
    assert.equal(reply.kind, 'response');
    assert.deepEqual(verdicts, [{ ok: true, region: 'us-west-2', service: 'bedrock' }]);
    const [sent] = upstream.requests;
    assert.equal(sent.path, '/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
    assert.match(String(sent.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    assert.match(String(sent.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
    assert.equal(sent.headers['x-amz-security-token'], undefined);
    assert.ok(!JSON.stringify(sent.headers).includes(aws.secretAccessKey), 'the secret never travels');
    // Independently of the library: AWS's written procedure, the ARN's `%3A` and `%2F` encoded once more.
    assert.equal(String(sent.headers.authorization).split('Signature=')[1], signatureByHand(sent, aws.secretAccessKey));
    assert.notEqual(signatureByHand(sent, 'another-secret'), signatureByHand(sent, aws.secretAccessKey));
  });

  it('SigV4 with a session token: x-amz-security-token is sent and signed', async () => {
    await provider({ access_key_id: aws.accessKeyId, secret_access_key: aws.secretAccessKey, session_token: 'FwoGZXIvYXdzEXAMPLETOKEN', region: 'us-east-1' }).send(call('amazon.nova-pro-v1:0'));
    assert.deepEqual(verdicts, [{ ok: true, region: 'us-east-1', service: 'bedrock' }]);
    assert.equal(upstream.requests[0].headers['x-amz-security-token'], 'FwoGZXIvYXdzEXAMPLETOKEN');
    assert.match(String(upstream.requests[0].headers.authorization), /SignedHeaders=[^,]*x-amz-security-token/);
  });

  it('a wrong secret fails the stand-in check: 401 authentication_error, and the secret is not in the error', async () => {
    const wrongSecret = 'not-the-right-secret-AAAAAAAAAAAAAAAAAAAAAAA';
    await assert.rejects(provider({ access_key_id: aws.accessKeyId, secret_access_key: wrongSecret, region: 'us-east-1' }).send(call('amazon.nova-pro-v1:0')), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.deepEqual([error.status, error.type, error.code], [401, 'authentication_error', 'invalid_api_key']);
      assert.ok(!JSON.stringify(error.toOpenAIBody()).includes(wrongSecret));
      return true;
    });
    assert.deepEqual(verdicts, [{ ok: false, reason: 'signature mismatch' }]);
  });

  it('the verifier is strict: a changed body byte fails', async () => {
    await provider({ access_key_id: aws.accessKeyId, secret_access_key: aws.secretAccessKey, region: 'us-east-1' }).send(call('amazon.nova-pro-v1:0'));
    const tampered = { ...upstream.requests[0], body: upstream.requests[0].body.replace('dich', 'Dich') };
    assert.deepEqual(await verifySigV4(tampered, aws), { ok: false, reason: 'x-amz-content-sha256 does not match the body' });
  });

  it('a Bedrock API key (configured, or the client\'s under BYOK) is a bearer token and nothing is signed', async () => {
    await provider({ access_key_id: aws.accessKeyId, secret_access_key: aws.secretAccessKey, region: 'us-east-1' }, 'bedrock-api-key-abc123').send(call('amazon.nova-pro-v1:0', 'bedrock-api-key-abc123'));
    const [sent] = upstream.requests;
    assert.equal(sent.headers.authorization, 'Bearer bedrock-api-key-abc123');
    assert.equal(sent.headers['x-amz-date'], undefined);
    assert.equal(sent.headers['x-amz-content-sha256'], undefined);
    assert.equal(verdicts.length, 0);
  });

  it('no credential at all: a clear 401 before anything is sent', async () => {
    await assert.rejects(provider({ region: 'us-east-1' }).send(call('amazon.nova-pro-v1:0')), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.deepEqual([error.status, error.code], [401, 'missing_provider_key']);
      assert.match(error.message, /AWS_BEARER_TOKEN_BEDROCK.*AWS_ACCESS_KEY_ID/);
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });
});

describe('bedrock options and endpoint', () => {
  it('region falls back to default_region; half a key pair or an unknown option is a ConfigError', () => {
    assert.deepEqual(parseBedrockOptions('bedrock', { default_region: 'eu-west-1' }), { region: 'eu-west-1', credentials: undefined, guardrail: undefined, embeddingInputType: 'search_document' });
    assert.deepEqual(parseBedrockOptions('bedrock', { region: 'us-east-2', default_region: 'eu-west-1', access_key_id: 'A', secret_access_key: 'S', session_token: 'T', embedding_input_type: 'search_query' }), {
      region: 'us-east-2',
      credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' },
      guardrail: undefined,
      embeddingInputType: 'search_query',
    });
    assert.deepEqual(parseBedrockOptions('bedrock', { guardrail: { identifier: 'gr-abc123', version: '2', trace: 'enabled' } }).guardrail, { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2', trace: 'enabled' });
    assert.throws(() => parseBedrockOptions('aws', { guardrail: { identifier: 'gr-abc123' } }), (error: unknown) => error instanceof ConfigError && /providers\.aws\.options\.guardrail\.version/.test(error.message));
    assert.throws(() => parseBedrockOptions('aws', { embedding_input_type: 'poems' }), (error: unknown) => error instanceof ConfigError && /providers\.aws\.options\.embedding_input_type/.test(error.message));
    assert.throws(() => parseBedrockOptions('aws', { access_key_id: 'A' }), (error: unknown) => error instanceof ConfigError && /providers\.aws\.options\.secret_access_key/.test(error.message));
    assert.throws(() => parseBedrockOptions('aws', { regoin: 'x' }), (error: unknown) => error instanceof ConfigError && /unknown field "regoin"/.test(error.message));
    // `${AWS_ACCESS_KEY_ID}` and its secret not set: empty, which is unset (a provider without a credential), as an empty api_key is.
    assert.deepEqual(parseBedrockOptions('aws', { region: 'us-east-1', access_key_id: '', secret_access_key: '', session_token: '' }).credentials, undefined);
    assert.throws(() => parseBedrockOptions('aws', { access_key_id: 'A', secret_access_key: '' }), (error: unknown) => error instanceof ConfigError && /providers\.aws\.options\.secret_access_key/.test(error.message));
  });

  it('the endpoint follows the region; with neither region nor base_url a call fails clearly', async () => {
    const settings: ProviderSettings = { name: 'bedrock', type: 'bedrock', apiKey: undefined, baseUrl: '', models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options: { access_key_id: 'A', secret_access_key: 'S' }, strictParams: false };
    const noRegion = new BedrockProvider(settings, { upstream: new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 }), logger: pino({ level: 'silent' }) });
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    await assert.rejects(noRegion.send({ operation: 'chat', model: 'm', request, rawBody: null, rawModelUnchanged: false, stream: false, apiKey: undefined, signal: new AbortController().signal, requestId: 'r', clientFormat: 'openai' }), /has no region: set AWS_REGION/);
    assert.equal(regionOfEndpoint('https://bedrock-runtime.eu-central-1.amazonaws.com'), 'eu-central-1');
    assert.equal(regionOfEndpoint('https://vpce-0abc-xyz.bedrock-runtime.us-east-1.vpce.amazonaws.com'), 'us-east-1');
    assert.equal(regionOfEndpoint('http://127.0.0.1:9'), undefined);
    assert.equal(conversePath('us.amazon.nova-lite-v1:0', true), '/model/us.amazon.nova-lite-v1%3A0/converse-stream');
  });
});
