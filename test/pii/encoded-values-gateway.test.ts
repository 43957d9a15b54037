import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { isApiError } from '../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Through the real gateway with the official SDK: a card grouped with dots, slashes or underscores,
// and values written as JSON escapes or HTML character references, never reach the provider.

const cards = ['4111.1111.1111.1111', '4111/1111/1111/1111', '4111_1111_1111_1111'];
const encoded = [String.raw`\u0034111 1111 1111 1111`, '4&#49;11 1111 1111 1111', 'john&#46;doe&#64;example&period;com', String.raw`john\u002edoe\u0040example.com`];

describe('pii: encoded values and punctuated cards, through the gateway (openai SDK)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // Echoes the last user message, so a masked value's restoration shows in the answer.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { messages: Array<{ content: string }> };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m', body.messages.at(-1)!.content)));
    });
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "block" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: block } }',
        '  - match: { model: "mask" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: mask, response: off } }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const sentContent = (): string => (upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content;

  it('mask: the provider gets no card digits for 4111.1111.1111.1111 (nor / or _), and the client gets the card back', async () => {
    for (const card of cards) {
      const text = `Please charge ${card} for order 77.`;
      const completion = await client.chat.completions.create({ model: 'mask', messages: [{ role: 'user', content: text }] });
      assert.equal(sentContent(), 'Please charge <CREDIT_CARD_1> for order 77.', card);
      assert.ok(!upstream.requests.at(-1)!.body.includes('1111'), `${card}: card digits reached the provider`);
      assert.equal(completion.choices[0].message.content, text, `${card}: restored`);
    }
  });

  it('block: 400 invalid_request_error pii_detected naming CREDIT_CARD, and the provider gets nothing', async () => {
    for (const card of cards) {
      const received = upstream.requests.length;
      await assert.rejects(client.chat.completions.create({ model: 'block', messages: [{ role: 'user', content: `card ${card}` }] }), (error: unknown) => {
        isApiError(400, 'pii_detected', 'invalid_request_error')(error);
        assert.match((error as Error).message, /CREDIT_CARD/);
        assert.ok(!(error as Error).message.includes(card), 'the value is never in the error');
        return true;
      });
      assert.equal(upstream.requests.length, received, `${card} reached the provider`);
    }
  });

  it('JSON escapes and HTML references: masked whole, restored byte for byte; blocked in block mode', async () => {
    for (const value of encoded) {
      const text = `From the log: {"value":"${value}"} — is it valid?`;
      const completion = await client.chat.completions.create({ model: 'mask', messages: [{ role: 'user', content: text }] });
      assert.match(sentContent(), /^From the log: \{"value":"<(CREDIT_CARD|EMAIL)_1>"\} — is it valid\?$/, value);
      assert.equal(completion.choices[0].message.content, text, `${value}: restored`);
      const received = upstream.requests.length;
      await assert.rejects(client.chat.completions.create({ model: 'block', messages: [{ role: 'user', content: text }] }), isApiError(400, 'pii_detected', 'invalid_request_error'));
      assert.equal(upstream.requests.length, received, `${value} reached the provider`);
    }
  });
});
