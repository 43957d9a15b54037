import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { chatChunk, chatCompletion } from '../helpers/openai-bodies.ts';
import { collect } from '../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Through the real gateway with the official SDK (guard7 F4-F6): SSN-shaped goods and ledger codes
// in a list or after "reference" reach the provider unchanged; a slashed German phone, an Italian
// street with a dash before its postcode, a second passport after "and mine is", a dotted DNI and
// HTTP Basic credentials do not, in the request or in a streamed answer; a placeholder the user
// typed is sent as typed and never restored.

const codes = [
  'The year-end SKU list: 300-12-5546, 412-55-0198, 187-23-4401 (product codes, see catalog)',
  'Contract CT/9486/10 signed 21.4.2025, value 328.683,00 EUR, reference 066-73-9534 (internal ledger code)',
  'Order numbers 523-45-6789 and 412-55-0198 shipped today.',
];

const values: Array<[label: string, text: string, value: string]> = [
  ['PHONE', 'Rückfragen gerne unter Tel. 030/89761234.', '89761234'],
  ['ADDRESS', 'la consegna è prevista in Via Roma, 15 - 20121 Milano.', 'Via Roma'],
  ['PASSPORT', "my wife's passport is YA4412873 and mine is YA4412874", 'YA4412874'],
  ['NATIONAL_ID', 'El DNI del titular es 12.345.678-Z', '345.678'],
  ['SECRET', 'GET /v1/report HTTP/1.1\nAuthorization: Basic bWVnYW46U3VwZXJTZWNyZXQhMjAyNg==', 'bWVnYW46'],
];

describe('pii: record codes and more value formats, through the gateway (openai SDK)', () => {
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
        '  - match: { model: "redact" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: redact } }',
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

  it('SSN-shaped codes after a goods or ledger word, and the rest of their list, reach the provider unchanged (redact and block), and a streamed answer unchanged', async () => {
    for (const text of codes) {
      await client.chat.completions.create({ model: 'redact', messages: [{ role: 'user', content: text }] });
      assert.equal(sentContent(), text);
      const completion = await client.chat.completions.create({ model: 'block', messages: [{ role: 'user', content: text }] });
      assert.equal(completion.choices[0].message.content, text);
      const stream = await client.chat.completions.create({ model: 'answers', stream: true, messages: [{ role: 'user', content: text }] });
      assert.equal((await collect(stream)).map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''), text, `${text}: streamed one character a chunk`);
    }
  });

  it('a real SSN list is still redacted, also its later numbers', async () => {
    await client.chat.completions.create({ model: 'redact', messages: [{ role: 'user', content: 'SSNs on file: 523-45-6789, 412-55-0198.' }] });
    assert.equal(sentContent(), 'SSNs on file: [SSN], [SSN].');
  });

  it('redact: the provider gets the placeholder, none of the value', async () => {
    for (const [label, text, value] of values) {
      await client.chat.completions.create({ model: 'redact', messages: [{ role: 'user', content: text }] });
      assert.ok(sentContent().includes(`[${label}]`), `${text}: ${sentContent()}`);
      assert.ok(!sentContent().includes(value), `${text}: the value reached the provider`);
    }
  });

  it('an answer streamed one character a chunk has none of the value', async () => {
    for (const [label, text, value] of values) {
      const stream = await client.chat.completions.create({ model: 'answers', stream: true, messages: [{ role: 'user', content: text }] });
      const streamed = (await collect(stream)).map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
      assert.ok(streamed.includes(`[${label}]`), `${text}: ${streamed}`);
      assert.ok(!streamed.includes(value), `${text}: the value was streamed`);
    }
  });

  it('mask: a placeholder the user typed is sent as typed, the value gets the next number, the answer restores only the value', async () => {
    const text = 'Template uses <EMAIL_1>; my address is jo.kuehn@web.de';
    const completion = await client.chat.completions.create({ model: 'mask', messages: [{ role: 'user', content: text }] });
    assert.equal(sentContent(), 'Template uses <EMAIL_1>; my address is <EMAIL_2>');
    assert.equal(completion.choices[0].message.content, text);
  });
});
