import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { fixtureBytes, streamBytes } from './event-stream-fixtures.ts';
import { verifySigV4 } from './sigv4-verifier.ts';

const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const model = 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0';
const converseJson = (fixture: string): Reply => replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes(fixture));

describe('Anthropic Messages API clients (official @anthropic-ai/sdk) through the gateway to Bedrock', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;
  let reply: Reply = (_request, response) => {
    response.end();
  };
  const signatureProblems: string[] = [];

  before(async () => {
    // Signatures are recorded, not refused: the tests assert there were no problems.
    const verifyThenReply: Reply = async (request, response) => {
      const verdict = await verifySigV4(request, aws);
      if (!verdict.ok) signatureProblems.push(verdict.reason);
      return reply(request, response);
    };
    const started = await startProviderGateway(verifyThenReply, (upstreamUrl) => ({
      env: { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_DEFAULT_REGION: 'eu-west-3', BEDROCK_BASE_URL: upstreamUrl },
    }));
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    signatureProblems.length = 0;
  });
  after(() => close());

  it('a message with cache_control: Converse gets cachePoints; the answer comes back as an Anthropic message', async () => {
    reply = replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes('converse-text.json'));
    const message = await client.messages.create({
      model,
      max_tokens: 200,
      system: [{ type: 'text', text: 'A long, stable system prompt.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    assert.deepEqual(signatureProblems, []);
    assert.match(String(upstream.requests[0].headers.authorization), /\/eu-west-3\/bedrock\/aws4_request/);
    assert.deepEqual(upstream.requests[0].json, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'A long, stable system prompt.' }, { cachePoint: { type: 'default' } }],
      inferenceConfig: { maxTokens: 200 },
    });
    assert.equal(message.type, 'message');
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].type, 'text');
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', 'Bonjour ! Je suis Claude — ravi de vous aider. 🌍');
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.input_tokens, 18);
    assert.equal(message.usage.output_tokens, 21);
  });

  it('max_tokens: 0 (prompt-cache pre-warming) goes up as maxTokens 1, the least Converse takes; the answer comes back', async () => {
    reply = checkingConverse(() => converseJson('converse-text.json'));
    const message = await client.messages.create({ model, max_tokens: 0, messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual((upstream.requests[0].json as { inferenceConfig: unknown }).inferenceConfig, { maxTokens: 1 });
    assert.equal(message.type, 'message');
  });

  it('a streamed tool call arrives as Anthropic tool_use events with the whole input', async () => {
    reply = replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => streamBytes('tool-use'), 13);
    const stream = client.messages.stream({
      model,
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'get_time', input_schema: { type: 'object', properties: {} } },
      ],
    });
    const final = await stream.finalMessage();
    assert.equal(upstream.requests[0].path, '/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream');
    assert.equal(final.stop_reason, 'tool_use');
    const toolUses = final.content.filter((block) => block.type === 'tool_use');
    assert.deepEqual(
      toolUses.map((block) => [block.id, block.name, block.input]),
      [
        ['tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', 'get_weather', { city: 'Paris', unit: 'celsius' }],
        ['tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', 'get_time', {}],
      ],
    );
    assert.equal(final.content.find((block) => block.type === 'text')?.text, 'Let me check both.');
  });

  it('thinking.budget_tokens is sent as given and max_tokens is not raised (F3)', async () => {
    reply = checkingConverse(() => converseJson('converse-text.json'));
    for (const [maxTokens, budget] of [
      [12000, 10000],
      [3000, 2000],
      [21000, 18000],
    ]) {
      upstream.requests.length = 0;
      await client.messages.create({ model, max_tokens: maxTokens, thinking: { type: 'enabled', budget_tokens: budget }, messages: [{ role: 'user', content: 'Think.' }] });
      const body = upstream.requests[0].json as { additionalModelRequestFields?: unknown; inferenceConfig?: unknown };
      assert.deepEqual(body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: budget } });
      assert.deepEqual(body.inferenceConfig, { maxTokens });
    }
    // Adaptive-thinking models keep adaptive thinking (budget_tokens is deprecated there, refused from 4.7).
    upstream.requests.length = 0;
    await client.messages.create({ model: 'bedrock/us.anthropic.claude-opus-4-6-v1', max_tokens: 12000, thinking: { type: 'enabled', budget_tokens: 10000 }, messages: [{ role: 'user', content: 'Think.' }] });
    const body = upstream.requests[0].json as { additionalModelRequestFields?: unknown; inferenceConfig?: unknown };
    assert.deepEqual(body.additionalModelRequestFields, { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    assert.deepEqual(body.inferenceConfig, { maxTokens: 12000 });
  });

  it('a matched stop sequence comes back as stop_reason stop_sequence, naming it (F5)', async () => {
    reply = checkingConverse(() => converseJson('converse-stop-sequence.json'));
    const message = await client.messages.create({ model, max_tokens: 100, stop_sequences: ['3.', '###'], messages: [{ role: 'user', content: 'List two cities' }] });
    const body = upstream.requests[0].json as { additionalModelResponseFieldPaths?: unknown; inferenceConfig?: unknown };
    assert.deepEqual(body.additionalModelResponseFieldPaths, ['/stop_sequence']);
    assert.deepEqual(body.inferenceConfig, { maxTokens: 100, stopSequences: ['3.', '###'] });
    assert.equal(message.stop_reason, 'stop_sequence');
    assert.equal(message.stop_sequence, '3.');
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', '1. Paris\n2. Rome\n');
  });

  it('streamed: message_delta says stop_sequence and names it (F5)', async () => {
    reply = checkingConverse(() => replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => streamBytes('stop-sequence'), 11));
    const stream = client.messages.stream({ model, max_tokens: 100, stop_sequences: ['3.'], messages: [{ role: 'user', content: 'List two cities' }] });
    const deltas: Array<{ stop_reason: string | null; stop_sequence: string | null }> = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_delta') deltas.push({ stop_reason: event.delta.stop_reason, stop_sequence: event.delta.stop_sequence });
    });
    const final = await stream.finalMessage();
    assert.deepEqual(deltas, [{ stop_reason: 'stop_sequence', stop_sequence: '3.' }]);
    assert.equal(final.stop_reason, 'stop_sequence');
    assert.equal(final.stop_sequence, '3.');
  });

  it('a tool_result with is_error: true goes up with toolResult status error (F10)', async () => {
    reply = checkingConverse(() => converseJson('converse-text.json'));
    await client.messages.create({
      model,
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: {} } }],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'API down', is_error: true },
            { type: 'text', text: 'Try again?' },
          ],
        },
      ],
    });
    const body = upstream.requests[0].json as { messages: Array<{ content: unknown[] }> };
    assert.deepEqual(body.messages[2].content, [{ toolResult: { toolUseId: 'toolu_01A', content: [{ text: 'Error: API down' }], status: 'error' } }, { text: 'Try again?' }]);
  });
});
