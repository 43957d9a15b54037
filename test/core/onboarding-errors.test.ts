import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { freePort } from '../helpers/free-port.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// What a first-time user's mistakes look like from the client's side (the onboarding audit): a
// base URL with /v1 twice, a provider whose configuration cannot work, an address nothing
// listens on, an Anthropic base_url ending in /v1, a refused Bedrock API key.

const chat = { messages: [{ role: 'user', content: 'hi' }] };

async function post(url: string, body: object): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe('answers to onboarding mistakes', () => {
  let anthropicUpstream: StandIn;
  let bedrockUpstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    anthropicUpstream = await startStandIn((request, response) => {
      if (request.path !== '/v1/messages') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'Not Found' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [{ type: 'text', text: 'hello' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } }));
    });
    // Bedrock's answer to an invalid or expired Bedrock API key: 403 AccessDeniedException, not 401.
    bedrockUpstream = await startStandIn((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
      response.end(JSON.stringify({ Message: 'Authentication failed: Please make sure your API Key is valid.' }));
    });
    gw = await startGateway(`
providers:
  claude: { type: anthropic, api_key: test-key, base_url: "${anthropicUpstream.url}/v1" }
  nowhere: { type: openai-compatible, base_url: "http://127.0.0.1:${await freePort()}/v1" }
  noregion: { type: bedrock, api_key: bedrock-key }
  br: { type: bedrock, api_key: revoked-bedrock-key, base_url: "${bedrockUpstream.url}", options: { region: us-east-1 } }
`);
  });
  after(async () => {
    await gw?.close();
    await anthropicUpstream?.close();
    await bedrockUpstream?.close();
  });

  it('a doubled /v1 is a 404 that says to remove the extra /v1', async () => {
    const result = await post(`${gw.url}/v1/v1/chat/completions`, { model: 'echo/x', ...chat });
    assert.equal(result.status, 404);
    assert.equal(result.body.error.code, 'unknown_url');
    assert.match(result.body.error.message, /^Invalid URL \(POST \/v1\/v1\/chat\/completions\): not an endpoint of this gateway\. The path has \/v1 twice: remove the extra \/v1 from your client's base URL \(OpenAI's SDKs take it with one \/v1, e\.g\. http:\/\/localhost:8000\/v1\), so it calls \/v1\/chat\/completions\.$/);
  });

  it("the Anthropic SDK given a base URL ending in /v1 gets the 404 in Anthropic's shape, with the hint", async () => {
    const raw = await post(`${gw.url}/v1/v1/messages`, { model: 'echo/x', max_tokens: 5, ...chat });
    assert.equal(raw.status, 404);
    assert.equal(raw.body.type, 'error');
    assert.equal(typeof raw.body.error.type, 'string');
    assert.match(raw.body.error.message, /remove the extra \/v1 from your client's base URL \(Anthropic's SDKs take the gateway's address without \/v1/);
    const client = new Anthropic({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    await assert.rejects(client.messages.create({ model: 'echo/x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.NotFoundError, String(error));
      // Read as Anthropic's error: the SDK finds its type where Anthropic puts it.
      assert.equal(error.type, 'not_found_error');
      assert.equal((error.error as { type?: string }).type, 'error');
      assert.match(error.message, /^404 .*remove the extra \/v1/);
      return true;
    });
  });

  it('500 provider_not_configured carries x-should-retry: false (no SDK retry fixes a config error)', async () => {
    const result = await post(`${gw.baseURL}/chat/completions`, { model: 'noregion/anthropic.claude-3-haiku-20240307-v1:0', ...chat });
    assert.equal(result.status, 500);
    assert.equal(result.body.error.code, 'provider_not_configured');
    assert.equal(result.headers.get('x-should-retry'), 'false');
    let calls = 0;
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 2, fetch: (input, init) => (calls++, fetch(input, init)) });
    await assert.rejects(client.chat.completions.create({ model: 'noregion/anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: 'hi' }] }), OpenAI.InternalServerError);
    assert.equal(calls, 1, 'the SDK did not retry');
  });

  it('a refused connection stays retryable and points at the base_url, without quoting it', async () => {
    const result = await post(`${gw.baseURL}/chat/completions`, { model: 'nowhere/x', ...chat });
    assert.equal(result.status, 502);
    assert.equal(result.body.error.code, 'upstream_unreachable');
    assert.match(result.body.error.message, /^Provider 'nowhere' could not be reached: ECONNREFUSED \(nothing accepted the connection: check that the server runs and that the provider's base_url in the gateway's config names it\)\.$/);
    assert.doesNotMatch(result.body.error.message, /127\.0\.0\.1/);
    assert.equal(result.headers.get('x-should-retry'), null);
  });

  it('an Anthropic base_url ending in /v1 is called at /v1/messages, not /v1/v1/messages', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'claude/claude-x', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(answer.choices[0]!.message.content, 'hello');
    assert.equal(anthropicUpstream.requests.at(-1)!.path, '/v1/messages');
  });

  it("Bedrock's 403 to a bad API key is the gateway's credential refused: 401 with the documented prefix", async () => {
    const result = await post(`${gw.baseURL}/chat/completions`, { model: 'br/anthropic.claude-3-haiku-20240307-v1:0', ...chat });
    assert.equal(result.status, 401);
    assert.equal(result.body.error.type, 'authentication_error');
    assert.equal(result.body.error.code, 'invalid_api_key');
    assert.equal(result.body.error.message, "Provider 'br' refused the credential the gateway holds for it (not the key this request sent): Authentication failed: Please make sure your API Key is valid.");
  });
});
