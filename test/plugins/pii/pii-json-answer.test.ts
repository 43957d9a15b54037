import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import { scannerFor } from '../../../src/plugins/pii/index.ts';
import { MaskVault } from '../../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy, type Direction } from '../../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../../src/plugins/pii/pii-pass.ts';
import { StreamRewriter } from '../../../src/plugins/pii/response-texts.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

/** A password with a backslash: raw in a JSON string it is an invalid escape (`\a`). */
const password = 'Tr0ub\\ad0r3!xQ';
const prompt = `Put my password: ${password} into JSON`;
/** What the model answers to the masked prompt: JSON holding the placeholder it was given. */
const jsonAnswer = '{"pw":"<SECRET_1>"}';
const schema = { type: 'object', properties: { pw: { type: 'string' } }, required: ['pw'], additionalProperties: false };

/** Pieces of five characters, so the placeholder is cut in the middle (`{"pw":"<SEC`…). */
function piecesOf(text: string): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += 5) pieces.push(text.slice(index, index + 5));
  return pieces;
}

function chatChunk(delta: object, finish: string | null = null) {
  return { id: 'chatcmpl-j', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** An OpenAI-compatible provider (chat completions) and an Anthropic one (messages), both answering `answer`. */
function reply(request: RecordedRequest, response: ServerResponse, answer: string): void {
  const body = request.json as { stream?: boolean };
  if (request.path.endsWith('/chat/completions')) {
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([chatChunk({ role: 'assistant', content: '' }), ...piecesOf(answer).map((piece) => chatChunk({ content: piece })), chatChunk({}, 'stop'), '[DONE]']));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: 'chatcmpl-j',
        object: 'chat.completion',
        created: 1700000000,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
    return;
  }
  const message = { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_sequence: null };
  if (body.stream) {
    const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(
      [
        event('message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        ...piecesOf(answer).map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
        event('content_block_stop', { index: 0 }),
        event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 10 } }),
        event('message_stop', {}),
      ].join(''),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ...message, content: [{ type: 'text', text: answer }], stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 10 } }));
}

/**
 * `request: mask` with a JSON answer: when the client asked for JSON (chat `response_format`, the
 * Responses API's `text.format`, the Messages API's `output_config.format`), an original put back
 * into the answer's content is JSON-escaped, as in tool call arguments; without such a request the
 * content is text and gets the original as it was.
 */
describe('pii mask: originals restored into a JSON answer are JSON-escaped', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let answer = jsonAnswer;

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response, answer));
    gateway = await startGateway(
      [
        'providers:',
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }`,
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        'routes:',
        '  - match: { model: "redacting" }',
        '    model: oai/gpt-4o-mini',
        '    plugins: { pii: { request: mask, response: redact } }',
        'plugins:',
        '  pii: { request: mask }',
      ].join('\n'),
    );
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    answer = jsonAnswer;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The provider saw the placeholder, never the password. */
  function assertMasked(): void {
    assert.equal(upstream.requests.length, 1);
    assert.ok(!upstream.requests[0].body.includes('Tr0ub'), 'the password reached the provider');
    assert.ok(upstream.requests[0].body.includes('<SECRET_1>'));
  }

  const jsonSchemaFormat = { type: 'json_schema', json_schema: { name: 'creds', schema, strict: true } } as const;

  for (const model of ['oai/gpt-4o-mini', 'redacting']) {
    it(`chat, response_format json_schema, not streamed: the SDK's parse() reads the original (${model})`, async () => {
      const completion = await openai.chat.completions.parse({ model, response_format: jsonSchemaFormat, messages: [{ role: 'user', content: prompt }] });
      assertMasked();
      assert.equal(completion.choices[0].message.content, '{"pw":"Tr0ub\\\\ad0r3!xQ"}');
      assert.deepEqual(completion.choices[0].message.parsed, { pw: password });
    });

    it(`chat, response_format json_object, streamed with the placeholder cut over chunks (${model})`, async () => {
      const stream = await openai.chat.completions.create({ model, stream: true, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: prompt }] });
      let content = '';
      for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
      assertMasked();
      assert.deepEqual(JSON.parse(content), { pw: password });
    });
  }

  it('chat without a JSON response_format: the content is text and gets the original as it was', async () => {
    answer = 'Saved <SECRET_1> for you.';
    const completion = await openai.chat.completions.create({ model: 'oai/gpt-4o-mini', response_format: { type: 'text' }, messages: [{ role: 'user', content: prompt }] });
    assert.equal(completion.choices[0].message.content, `Saved ${password} for you.`);
    const stream = await openai.chat.completions.create({ model: 'oai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(content, `Saved ${password} for you.`);
  });

  it('Responses API, text.format json_schema: output_text parses, streamed or not', async () => {
    const text = { format: { type: 'json_schema', name: 'creds', schema, strict: true } } as const;
    const response = await openai.responses.create({ model: 'oai/gpt-4o-mini', input: prompt, text });
    assertMasked();
    assert.deepEqual(JSON.parse(response.output_text), { pw: password });

    upstream.requests.length = 0;
    const stream = await openai.responses.create({ model: 'oai/gpt-4o-mini', input: prompt, text: { format: { type: 'json_object' } }, stream: true });
    let streamed = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') streamed += event.delta;
    assertMasked();
    assert.deepEqual(JSON.parse(streamed), { pw: password });
  });

  for (const model of ['oai/gpt-4o-mini', 'claude/claude-sonnet-4-5']) {
    it(`Messages API, output_config.format json_schema: the text block parses, streamed or not (${model})`, async () => {
      const request = { model, max_tokens: 200, messages: [{ role: 'user' as const, content: prompt }], output_config: { format: { type: 'json_schema' as const, schema } } };
      const message = await anthropic.messages.create(request);
      assertMasked();
      const block = message.content[0];
      assert.equal(block.type, 'text');
      assert.deepEqual(JSON.parse(block.type === 'text' ? block.text : ''), { pw: password });

      upstream.requests.length = 0;
      const final = await anthropic.messages.stream(request).finalMessage();
      assertMasked();
      const streamed = final.content[0];
      assert.deepEqual(JSON.parse(streamed.type === 'text' ? streamed.text : ''), { pw: password });
    });
  }
});

describe('pii mask: a JSON answer streamed in two pieces cut anywhere', () => {
  function streamed(pieces: string[], jsonContent: boolean): string {
    const policy = resolvePolicy(piiConfigSchema.parse({ request: 'mask', response: 'redact' }));
    const vault = new MaskVault();
    const pass = (direction: Direction, passVault: MaskVault) => new PiiPass(scannerFor(policy, direction), (entity) => policy.actions.get(entity)?.[direction] ?? 'off', passVault);
    assert.equal(pass('request', vault).apply(prompt), 'Put my password: <SECRET_1> into JSON');
    // As the plugin does: response-side pseudonyms in a fork, the request's vault restores.
    const rewriter = new StreamRewriter(pass('response', vault.fork()), vault, jsonContent);
    const chunk = (content: string, finish: 'stop' | null): ChatChunk => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    let out = '';
    for (const [index, piece] of pieces.entries()) {
      const sent = rewriter.rewrite(chunk(piece, index === pieces.length - 1 ? 'stop' : null));
      for (const one of Array.isArray(sent) ? sent : [sent]) out += (one as ChatChunk).choices[0]?.delta.content ?? '';
    }
    return out;
  }

  it('the original comes back JSON-escaped at every cut; as it was when no JSON was asked', () => {
    for (let cut = 0; cut <= jsonAnswer.length; cut++) {
      const pieces = [jsonAnswer.slice(0, cut), jsonAnswer.slice(cut)];
      assert.deepEqual(JSON.parse(streamed(pieces, true)), { pw: password }, `cut at ${cut}`);
      assert.equal(streamed(pieces, false), `{"pw":"${password}"}`, `cut at ${cut}`);
    }
  });
});
