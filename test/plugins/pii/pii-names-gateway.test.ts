import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const prompt = 'Hi, my name is Rebecca Thornton and I live at 4127 Maple Grove Drive, Columbus, OH 43215. Passport no. 548213907.';

describe('pii names, addresses and ID numbers through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // Echoes the last user message, so the answer shows what the provider received.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { messages: Array<{ role: string; content: string }> };
      const content = body.messages.at(-1)?.content ?? '';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-n',
          object: 'chat.completion',
          created: 1700000000,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "masked" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: mask } }',
        '  - match: { model: "default" }',
        '    model: upstream/m',
        '    plugins: { pii: { entities: { person_name: false } } }',
        'plugins:',
        '  pii: { request: redact, response: redact }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('redact: the provider gets [PERSON], [ADDRESS] and [PASSPORT] instead of the values', async () => {
    const completion = await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: prompt }] });
    assert.equal(completion.choices[0].message.content, 'Hi, my name is [PERSON] and I live at [ADDRESS]. Passport no. [PASSPORT].');
  });

  it('mask: the provider gets <PERSON_1>, the client gets the name back', async () => {
    upstream.requests.length = 0;
    const completion = await client.chat.completions.create({ model: 'masked', messages: [{ role: 'user', content: prompt }] });
    assert.equal(completion.choices[0].message.content, prompt);
    const sent = upstream.requests[0].body;
    assert.ok(!sent.includes('Rebecca Thornton') && !sent.includes('Maple Grove'));
    for (const placeholder of ['<PERSON_1>', '<ADDRESS_1>', '<PASSPORT_1>']) assert.ok(sent.includes(placeholder), `${placeholder} missing`);
  });

  it('person_name: false leaves the name and still redacts the address and passport', async () => {
    const completion = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: prompt }] });
    assert.equal(completion.choices[0].message.content, 'Hi, my name is Rebecca Thornton and I live at [ADDRESS]. Passport no. [PASSPORT].');
  });

  it('response: redact does not cut names out of answers unless person_name sets its own response action', async () => {
    // The stand-in echoes the prompt: here the answer names a public figure the prompt did not mask.
    const completion = await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'Who wrote Hamlet? Answer: William Shakespeare.' }] });
    assert.equal(completion.choices[0].message.content, 'Who wrote Hamlet? Answer: William Shakespeare.');
  });
});
