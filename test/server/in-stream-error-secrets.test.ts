import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import { textBeforeError } from '../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const operatorKey = 'sk-operator-secret-0123456789';
const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** Error events after the stream has started, cut into pieces at awkward places: inside the key, inside `"error"`. */
const pieces: Record<string, string[]> = {
  'split-key': [chunk('Hello'), 'data: {"error":{"message":"Incorrect API key provided: sk-operator-', 'secret-0123456789, masked sk-ope***6789.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}\n\n'],
  'split-marker': [chunk('Hello'), 'data: {"err', `or":{"message":"key ${operatorKey} refused","type":"server_error","param":null,"code":null}}\n\n`],
  'one-piece': [`${chunk('Hello')}data: {"error":{"message":"key ${operatorKey} refused","type":"server_error","param":null,"code":null}}\n\n${chunk('after')}`],
  // OpenAI names the account in its errors; the gateway keeps it from clients as before the stream.
  'account-ids': [chunk('Hello'), `data: {"error":{"message":"Incorrect API key provided: ${operatorKey} for organization org-4xQ9fT2LmN8pR1sV6wY3zB7k in project proj_8Zk3LmN2pQ7rT5vW.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}\n\n`],
};

describe('a provider key quoted in an error event after a stream has started is redacted', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn(async (request, response) => {
      const prompt = (request.json as { messages: Array<{ content: string }> }).messages[0]!.content;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.socket?.setNoDelay(true);
      for (const piece of pieces[prompt]!) {
        response.write(piece);
        await sleep(30);
      }
      response.end();
    });
    gw = await startGateway(`providers:\n  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "${operatorKey}" }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const rawStream = async (path: string, prompt: string): Promise<string> => {
    const body = path === '/v1/messages' ? { model: 'up/m', max_tokens: 10, stream: true, messages: [{ role: 'user', content: prompt }] } : { model: 'up/m', stream: true, messages: [{ role: 'user', content: prompt }] };
    const response = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    return response.text();
  };

  for (const prompt of Object.keys(pieces)) {
    it(`OpenAI passthrough (${prompt}): the client reads [redacted], never the key or its masked form`, async () => {
      const text = await rawStream('/v1/chat/completions', prompt);
      assert.ok(!text.includes('0123456789') && !text.includes('***6789'), text);
      assert.ok(!text.includes('4xQ9fT2LmN8pR1sV6wY3zB7k') && !text.includes('8Zk3LmN2pQ7rT5vW'), text);
      assert.match(text, /\[redacted\]/);
      assert.match(text, /Hello/);
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'up/m', stream: true, messages: [{ role: 'user', content: prompt }] });
      const before = await textBeforeError(stream, (error) => {
        assert.ok(error instanceof APIError);
        assert.ok(!error.message.includes('0123456789'), error.message);
        assert.match(error.message, /\[redacted\]/);
        return true;
      });
      assert.equal(before, 'Hello');
    });

    it(`translated to Anthropic (${prompt}): the error event says [redacted]`, async () => {
      const text = await rawStream('/v1/messages', prompt);
      assert.ok(!text.includes('0123456789') && !text.includes('***6789'), text);
      assert.ok(!text.includes('4xQ9fT2LmN8pR1sV6wY3zB7k') && !text.includes('8Zk3LmN2pQ7rT5vW'), text);
      assert.match(text, /event: error/);
      assert.match(text, /\[redacted\]/);
    });
  }
});
