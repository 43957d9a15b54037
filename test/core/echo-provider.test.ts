import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

describe('the echo test provider through the real gateway and the openai SDK', () => {
  let gw: RunningGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startGateway('providers: { echo: { type: echo, models: [echo-1] } }\nmodels: { demo: { targets: [{ provider: echo, model: echo-1 }] } }');
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gw.close());

  it('answers a chat completion with the last user message and reports usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'echo/test',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'hello there, gateway' },
      ],
    });
    assert.equal(completion.choices[0].message.content, 'hello there, gateway');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.model, 'test');
    assert.ok(completion.usage && completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0);
    assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
  });

  it('streams the answer in several chunks, with usage when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'one two three four five six seven' }],
    });
    let text = '';
    let contentChunks = 0;
    let finish: string | null = null;
    let usageSeen = false;
    for await (const chunk of stream) {
      if (chunk.usage) usageSeen = true;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      finish = choice.finish_reason ?? finish;
    }
    assert.equal(text, 'one two three four five six seven');
    assert.ok(contentChunks >= 3, `expected several chunks, got ${contentChunks}`);
    assert.equal(finish, 'stop');
    assert.ok(usageSeen);
  });

  it('leaves the usage chunk out when the client did not ask for it', async () => {
    const stream = await client.chat.completions.create({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: 'a b c' }] });
    for await (const chunk of stream) assert.equal(chunk.usage ?? null, null);
  });

  it('serves legacy completions, embeddings and the model list', async () => {
    const completion = await client.completions.create({ model: 'echo/x', prompt: 'say this' });
    assert.equal(completion.choices[0].text, 'say this');
    const embeddings = await client.embeddings.create({ model: 'echo/embed', input: ['alpha', 'beta'] });
    assert.equal(embeddings.data.length, 2);
    assert.equal(embeddings.data[0].embedding.length, 16);
    const again = await client.embeddings.create({ model: 'echo/embed', input: 'alpha' });
    assert.deepEqual(again.data[0].embedding, embeddings.data[0].embedding);
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    assert.deepEqual(models, ['demo', 'echo/echo-1']);
    const one = await client.models.retrieve('demo');
    assert.equal(one.id, 'demo');
  });

  it('answers curl-style requests without a JSON content type and sets x-request-id', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'my-trace-1' },
      body: JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'my-trace-1');
    assert.equal(response.headers.get('x-tollgate-provider'), 'echo');
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    assert.equal(body.choices[0].message.content, 'hi');
  });
});
