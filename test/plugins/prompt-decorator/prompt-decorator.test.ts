import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startChatStandIn } from '../../prompt-api/chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

describe('prompt-decorator through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startChatStandIn();
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "plain" }',
        '    model: upstream/m',
        '    plugins: { prompt-decorator: false }',
        '  - match: { model: "echoed" }',
        '    model: echo/x',
        '    plugins: { prompt-decorator: { append: [{ role: user, content: "Answer in English." }] } }',
        'plugins:',
        '  prompt-decorator:',
        '    prepend:',
        '      - { role: system, content: "Company policy: be polite. {{not a template}}" }',
        '    append:',
        '      - { role: user, content: "Keep it short." }',
        '  prompt-template:',
        '    templates: { greet: { prompt: "Greet {{who}}", variables: { who: { type: string } } } }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('prepends and appends the configured messages around the conversation (exact upstream body)', async () => {
    const before = upstream.requests.length;
    await client.chat.completions.create({
      model: 'upstream/m',
      messages: [
        { role: 'system', content: 'You are a helper.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    assert.deepEqual(upstream.bodies()[before].messages, [
      { role: 'system', content: 'Company policy: be polite. {{not a template}}' },
      { role: 'system', content: 'You are a helper.' },
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'Keep it short.' },
    ]);
  });

  it('decorates the messages a template produced (templates run first)', async () => {
    const before = upstream.requests.length;
    await client.chat.completions.create({ model: 'upstream/m', template: 'greet', variables: { who: 'Ada' } } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    assert.deepEqual(upstream.bodies()[before].messages, [
      { role: 'system', content: 'Company policy: be polite. {{not a template}}' },
      { role: 'user', content: 'Greet Ada' },
      { role: 'user', content: 'Keep it short.' },
    ]);
  });

  it('a route can turn it off or replace it; echo shows what the model saw last', async () => {
    const before = upstream.requests.length;
    await client.chat.completions.create({ model: 'plain', messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual(upstream.bodies()[before].messages, [{ role: 'user', content: 'Hi' }]);
    const echoed = await client.chat.completions.create({ model: 'echoed', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(echoed.choices[0].message.content, 'Answer in English.');
  });

  it('each request gets fresh messages (no growth across requests)', async () => {
    const before = upstream.requests.length;
    await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'one' }] });
    await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'two' }] });
    assert.equal(upstream.bodies()[before + 1].messages.length, 3);
  });

  it('applies to Anthropic Messages clients too (canonical body), and to streams', async () => {
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'echo/x', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', 'Keep it short.');
    const stream = await client.chat.completions.create({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Keep it short.');
  });

  it('an empty decorator config is refused at load', async () => {
    await assert.rejects(startGateway('plugins: { prompt-decorator: {} }'), /prompt-decorator/);
  });
});
