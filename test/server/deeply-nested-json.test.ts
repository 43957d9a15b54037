import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { request } from 'undici';
import { maxJsonDepth } from '../../src/server/json-depth.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';

/** JSON text of arrays nested `levels` deep. */
function nestedText(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

const message = anthropicMessage('fine', { input_tokens: 3, output_tokens: 1 });

const completion = chatCompletion('gpt-4o-mini', 'fine', { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });

describe('deeply nested JSON bodies', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((recorded, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(recorded.path.endsWith('/messages') ? message : completion));
    });
    gw = await startGateway('{}', { OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_API_KEY: 'sk-ant-upstream', ANTHROPIC_BASE_URL: upstream.url });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('answers 10,000 levels with a 400 on every endpoint, in the client format, without calling the provider', async () => {
    const deep = nestedText(10_000);
    const bodies: Array<[string, string]> = [
      ['/v1/chat/completions', `{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":{"x":${deep}}}`],
      ['/v1/chat/completions', `{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":${deep}}]}`],
      ['/v1/embeddings', `{"model":"openai/text-embedding-3-small","input":${deep}}`],
      ['/v1/moderations', `{"model":"openai/omni-moderation-latest","input":${deep}}`],
      ['/v1/responses', `{"model":"openai/gpt-4o-mini","input":"hi","metadata":{"x":${deep}}}`],
      ['/v1/messages', `{"model":"anthropic/claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"metadata":{"x":${deep}}}`],
      ['/v1/messages/count_tokens', `{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"tools":${deep}}`],
    ];
    for (const [path, body] of bodies) {
      const answer = await request(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await answer.body.text();
      assert.equal(answer.statusCode, 400, `${path}: ${text.slice(0, 200)}`);
      assert.ok(answer.headers['x-request-id'], path);
      const parsed = JSON.parse(text);
      if (path.startsWith('/v1/messages')) {
        assert.equal(parsed.type, 'error', path);
        assert.equal(parsed.error.type, 'invalid_request_error', path);
        assert.match(parsed.error.message, new RegExp(`${maxJsonDepth} levels`), path);
      } else {
        assert.equal(parsed.error.type, 'invalid_request_error', path);
        assert.equal(parsed.error.code, 'nesting_too_deep', path);
      }
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('is a 400 the Anthropic SDK does not retry', async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'client-key', maxRetries: 2 });
    // 1,000 levels: deeper than the gateway takes, shallow enough for the SDK's own JSON.stringify.
    const metadata = { x: JSON.parse(nestedText(1000)) } as unknown as Anthropic.Metadata;
    await assert.rejects(client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], metadata }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError, String(error));
      assert.equal(error.status, 400);
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it(`serves a body nested ${maxJsonDepth} levels, also where it is translated and re-serialized`, async () => {
    // The body itself is level 1, `metadata` level 2.
    const passthrough = `{"model":"anthropic/claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"metadata":{"x":${nestedText(maxJsonDepth - 2)}}}`;
    const answer = await request(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: passthrough });
    assert.equal(answer.statusCode, 200, await answer.body.text());
    const tooDeep = await request(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: passthrough.replace('"x":[', '"x":[[').replace(/]}}$/, ']]}}') });
    assert.equal(tooDeep.statusCode, 400);
    await tooDeep.body.dump();

    // OpenAI client to an Anthropic model: a tool schema nested to the limit is converted and sent as Anthropic JSON.
    // The body is level 1, tools 2, the tool 3, function 4, parameters 5, properties 6, x 7, items 8…
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 8; level <= maxJsonDepth; level++) schema = { type: 'array', items: schema };
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
    upstream.requests.length = 0;
    const translated = await client.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'deep', parameters: { type: 'object', properties: { x: schema } } } }],
    });
    assert.equal(translated.choices[0].message.content, 'fine');
    assert.equal(upstream.requests.length, 1);
  });
});
