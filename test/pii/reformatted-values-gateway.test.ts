import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { chatChunk, chatCompletion } from '../helpers/openai-bodies.ts';
import { collect, isApiError } from '../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Through the real gateway with the official SDK: values reformatted by hand (a card in 8-8 groups,
// over a line break or joined with `+`, an IBAN with dashes, a `%40` address, a password after
// "pw") never reach the provider; and an answer with a version beside an address-shaped version
// streams as it is answered whole (guardrails-4, M1 and L1).

const forms: Array<[label: string, text: string, digits: string]> = [
  ['CREDIT_CARD', 'Charge 45395787 63621486 for order 77.', '4539'],
  ['CREDIT_CARD', 'Charge 4539 5787\n6362 1486 for order 77.', '4539'],
  ['CREDIT_CARD', 'Charge 4539-5787 6362-1486 for order 77.', '4539'],
  ['CREDIT_CARD', 'Charge 4539+5787+6362+1486 for order 77.', '4539'],
  ['IBAN', 'Refund to DE89-3704-0044-0532-0130-00 for order 77.', '3704'],
  ['EMAIL', 'Mail marta.kowalczyk%40gmail.com for order 77.', 'kowalczyk'],
  ['SECRET', 'the pw for the vpn is Blau*Himmel42 for order 77.', 'Himmel'],
];

describe('pii: reformatted values, through the gateway (openai SDK)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // Echoes the last user message; streamed one character a chunk when asked to stream.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean; messages: Array<{ content: string }> };
      const answer = body.messages.at(-1)!.content;
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(chatCompletion(body.model, answer)));
        return;
      }
      const chunks: object[] = [chatChunk(body.model, { role: 'assistant', content: '' })];
      for (const character of answer) chunks.push(chatChunk(body.model, { content: character }));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([...chunks, chatChunk(body.model, {}, 'stop'), '[DONE]']));
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
        '  - match: { model: "answers" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: off, response: redact } }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const sentContent = (): string => (upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content;

  it('mask: the provider gets a placeholder and none of the value, the client gets the value back', async () => {
    for (const [label, text, part] of forms) {
      const completion = await client.chat.completions.create({ model: 'mask', messages: [{ role: 'user', content: text }] });
      assert.match(sentContent(), new RegExp(`<${label}_1> for order 77\\.$`), text);
      assert.ok(!upstream.requests.at(-1)!.body.includes(part), `${text}: part of the value reached the provider`);
      assert.equal(completion.choices[0].message.content, text, `${text}: restored`);
    }
  });

  it('block: 400 invalid_request_error pii_detected, and the provider gets nothing', async () => {
    for (const [label, text] of forms) {
      const received = upstream.requests.length;
      await assert.rejects(client.chat.completions.create({ model: 'block', messages: [{ role: 'user', content: text }] }), (error: unknown) => {
        isApiError(400, 'pii_detected', 'invalid_request_error')(error);
        assert.match((error as Error).message, new RegExp(label));
        return true;
      });
      assert.equal(upstream.requests.length, received, `${text} reached the provider`);
    }
  });

  it('response: redact streams a version beside an address-shaped version as the non-streamed answer has it', async () => {
    for (const answer of ['Upgrading from 1.14.46.199 to 2.0.69.1310 broke the plugin loader.', 'The host 203.0.113.9 went down after 1.14.46.199 shipped.']) {
      const whole = await client.chat.completions.create({ model: 'answers', messages: [{ role: 'user', content: answer }] });
      const chunks = await collect(await client.chat.completions.create({ model: 'answers', messages: [{ role: 'user', content: answer }], stream: true }));
      const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
      assert.equal(text, whole.choices[0].message.content, answer);
    }
  });
});
