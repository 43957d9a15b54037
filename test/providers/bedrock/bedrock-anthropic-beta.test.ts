import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

/**
 * An Anthropic client's beta features (`anthropic-beta`, the SDKs' `betas`) to Claude on Bedrock
 * (the provider-endpoints audit's F5): Bedrock takes them in Claude's request body as
 * `anthropic_beta: [..]` (AWS's Claude Messages request reference), which Converse passes through
 * `additionalModelRequestFields`, and refuses a name it does not know ("invalid beta flag"), as
 * the stand-in does. So the betas AWS documents for Claude go; those only Anthropic's own API has
 * (Claude Code's `claude-code-20250219`) stay out; the operator's configured ones go as given.
 */

/** The betas AWS documents for Claude on Bedrock (written here apart from the adapter's list). */
const documented = new Set(['computer-use-2024-10-22', 'computer-use-2025-01-24', 'token-efficient-tools-2025-02-19', 'interleaved-thinking-2025-05-14', 'output-128k-2025-02-19', 'context-1m-2025-08-07', 'context-management-2025-06-27', 'dev-full-thinking-2025-05-14']);
/** A beta the operator's account has that this list lacks (what `headers:` on the provider is for). */
const operatorBeta = 'brand-new-feature-2027-01-01';

type Body = { additionalModelRequestFields?: { anthropic_beta?: unknown; thinking?: unknown } };

function converse(request: RecordedRequest, response: ServerResponse): void {
  const betas = (request.json as Body).additionalModelRequestFields?.anthropic_beta;
  const unknown = Array.isArray(betas) ? betas.filter((name) => !documented.has(String(name)) && name !== operatorBeta) : [];
  if (unknown.length > 0) {
    response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
    response.end(JSON.stringify({ message: 'invalid beta flag' }));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 9, outputTokens: 1, totalTokens: 10 }, metrics: { latencyMs: 40 } }));
}

describe('bedrock: an Anthropic client\'s anthropic-beta reaches Claude as anthropic_beta', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let configured: RunningGateway;
  let client: Anthropic;
  const model = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const question = { max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };
  const betas = 'context-1m-2025-08-07,interleaved-thinking-2025-05-14,claude-code-20250219';

  before(async () => {
    upstream = await startStandIn(converse);
    gateway = await startGateway('{}', { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_REGION: 'us-east-1', BEDROCK_BASE_URL: upstream.url });
    configured = await startGateway(`
providers:
  bedrock:
    type: bedrock
    base_url: "${upstream.url}"
    headers: { anthropic-beta: "${operatorBeta}" }
    options: { region: us-east-1, access_key_id: AKIAIOSFODNN7EXAMPLE, secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY }
`);
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await configured.close();
    await upstream.close();
  });

  const sent = () => (upstream.requests.at(-1)?.json as Body).additionalModelRequestFields;

  it('the betas Bedrock takes go as anthropic_beta; the others stay out, so Bedrock answers', async () => {
    const message = await client.messages.create({ model, ...question }, { headers: { 'anthropic-beta': betas } });
    assert.equal(message.content[0]?.type === 'text' && message.content[0].text, 'ok');
    assert.deepEqual(sent(), { anthropic_beta: ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'] });
  });

  it('the SDK\'s beta namespace (`betas`), with thinking: both in additionalModelRequestFields', async () => {
    await client.beta.messages.create({ model, ...question, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, betas: ['interleaved-thinking-2025-05-14', 'token-efficient-tools-2025-02-19'] });
    assert.deepEqual(sent(), { thinking: { type: 'enabled', budget_tokens: 1024 }, anthropic_beta: ['interleaved-thinking-2025-05-14', 'token-efficient-tools-2025-02-19'] });
  });

  it('not to other models on Bedrock, and nothing when no beta is asked for', async () => {
    await client.messages.create({ model: 'bedrock/amazon.nova-pro-v1:0', ...question }, { headers: { 'anthropic-beta': betas } });
    assert.equal(sent()?.anthropic_beta, undefined);
    await client.messages.create({ model, ...question });
    assert.equal(sent(), undefined);
  });

  it('the operator\'s configured anthropic-beta goes as given, before the client\'s', async () => {
    const withConfig = new Anthropic({ baseURL: configured.url, apiKey: 'client-key', maxRetries: 0 });
    await withConfig.messages.create({ model, ...question }, { headers: { 'anthropic-beta': betas } });
    assert.deepEqual(sent(), { anthropic_beta: [operatorBeta, 'context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'] });
  });
});
