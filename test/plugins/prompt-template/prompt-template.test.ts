import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { assertOpenAIError, postJson, startChatStandIn } from '../../prompt-api/chat-stand-in.ts';
import { compileTemplateText, renderPieces } from '../../../src/plugins/prompt-template/template-text.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

/** A template request through the SDK: `template` and `variables` are extra body fields. */
function templateRequest(model: string, template: string, variables: unknown): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return { model, template, variables } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
}

describe('prompt-template through the real gateway', () => {
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
        '  - match: { model: "strict" }',
        '    model: echo/x',
        '    plugins:',
        '      prompt-template:',
        '        allow_untemplated_requests: false',
        '        templates: { hello: { prompt: "Hello {{name}}", variables: { name: { type: string } } } }',
        'plugins:',
        '  rate-limit: { limits: [{ scope: global, tokens: 1000000, per: minute }] }',
        '  prompt-template:',
        '    templates:',
        '      summarize:',
        '        description: Summaries in a chosen language',
        '        messages:',
        '          - { role: system, content: "You summarize in {{language}}. Formal: {{formal}}." }',
        '          - { role: user, content: "Summarize in at most {{words}} words:\\n\\n{{text}}" }',
        '        variables:',
        '          text: { type: string, max_length: 1000 }',
        '          words: { type: number, integer: true, minimum: 1, maximum: 500, default: 50 }',
        '          language: { type: enum, values: [English, German], default: English }',
        '          formal: { type: boolean, default: false }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('expands a named template with typed variables and defaults (echo repeats the last user message)', async () => {
    const answer = await client.chat.completions.create(templateRequest('echo/x', 'summarize', { text: 'The cat sat.', words: 10 }));
    assert.equal(answer.choices[0].message.content, 'Summarize in at most 10 words:\n\nThe cat sat.');
  });

  it('sends exactly the rendered messages upstream, without the template fields', async () => {
    const before = upstream.requests.length;
    await client.chat.completions.create({ ...templateRequest('upstream/m', 'summarize', { text: 'Long text', language: 'German', formal: true }), temperature: 0.2 });
    const sent = upstream.bodies()[before];
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'You summarize in German. Formal: true.' },
      { role: 'user', content: 'Summarize in at most 50 words:\n\nLong text' },
    ]);
    assert.equal(sent.temperature, 0.2);
    assert.equal('template' in sent, false);
    assert.equal('variables' in sent, false);
  });

  it('streams a template request', async () => {
    const stream = await client.chat.completions.create({ ...templateRequest('echo/x', 'summarize', { text: 'Streamed.' }), stream: true } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Summarize in at most 50 words:\n\nStreamed.');
  });

  it('escapes values: template syntax inside a variable stays literal text', async () => {
    const before = upstream.requests.length;
    await client.chat.completions.create(templateRequest('upstream/m', 'summarize', { text: 'ignore this {{language}} and {{ words }} {{{{x}}}}' }));
    const sent = upstream.bodies()[before];
    assert.equal(sent.messages[1].content, 'Summarize in at most 50 words:\n\nignore this {{language}} and {{ words }} {{{{x}}}}');
    assert.equal(sent.messages[0].content, 'You summarize in English. Formal: false.');
  });

  it('renders in one pass (unit)', () => {
    const pieces = compileTemplateText('a {{x}} b {{ y }} {{ not valid }} {x}');
    assert.equal(renderPieces(pieces, new Map([['x', '{{y}}'], ['y', 'Y']])), 'a {{y}} b Y {{ not valid }} {x}');
  });

  it('refuses unknown, missing and mistyped variables with 400 invalid_template_variables, never echoing values', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ text: 'x', colour: 'secret-value-1' }, /unknown variable 'colour'/],
      [{}, /missing variable 'text'/],
      [{ text: 'x', words: 'ten' }, /'words' must be a number/],
      [{ text: 'x', words: 2.5 }, /'words' must be a whole number/],
      [{ text: 'x', words: 9999 }, /'words' must be at most 500/],
      [{ text: 'x', language: 'Klingon' }, /'language' must be one of 'English', 'German'/],
      [{ text: 'x', formal: 'yes' }, /'formal' must be a boolean/],
      [{ text: 'y'.repeat(1001) }, /'text' is longer than 1000 characters/],
      ['not an object', /'variables' must be an object/],
      // null is a value the client sent, not "not given": neither the default nor an empty text stands in for it.
      [{ text: 'x', words: null }, /'words' is null: give a number or leave it out/],
      [{ text: null }, /'text' is null: give a string or leave it out/],
      [{ text: 'x', language: null }, /'language' is null: give a value or leave it out/],
    ];
    for (const [variables, pattern] of cases) {
      const result = await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x', template: 'summarize', variables });
      const message = assertOpenAIError(result, 400, 'invalid_request_error', 'invalid_template_variables');
      assert.match(message, pattern);
      assert.equal(result.json.error.param, 'variables');
      assert.doesNotMatch(message, /secret-value-1|Klingon|yes/);
    }
  });

  it('reports every problem at once', async () => {
    const result = await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x', template: 'summarize', variables: { words: 0, extra: 1 } });
    const message = assertOpenAIError(result, 400, 'invalid_request_error', 'invalid_template_variables');
    assert.match(message, /unknown variable 'extra'/);
    assert.match(message, /missing variable 'text'/);
    assert.match(message, /'words' must be at least 1/);
  });

  it('SDK sees the error as a 400 APIError with the code', async () => {
    await assert.rejects(client.chat.completions.create(templateRequest('echo/x', 'summarize', {})), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'invalid_template_variables');
      assert.equal(error.type, 'invalid_request_error');
      return true;
    });
  });

  it('unknown template: 400 template_not_found; template with messages: 400; template not a string: 400', async () => {
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x', template: 'nope', variables: {} }), 400, 'invalid_request_error', 'template_not_found');
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x', template: 'summarize', variables: { text: 'x' }, messages: [{ role: 'user', content: 'hi' }] }), 400, 'invalid_request_error', 'invalid_request');
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x', template: 7 }), 400, 'invalid_request_error', 'invalid_type');
  });

  it('without template, messages are still required', async () => {
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x' }), 400, 'invalid_request_error', 'missing_required_parameter');
  });

  it('plain requests pass untouched; a route with allow_untemplated_requests: false refuses them', async () => {
    const plain = await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'just chat' }] });
    assert.equal(plain.choices[0].message.content, 'just chat');
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'strict', messages: [{ role: 'user', content: 'hi' }] }), 400, 'invalid_request_error', 'template_required');
    const templated = await client.chat.completions.create(templateRequest('strict', 'hello', { name: 'Ada' }));
    assert.equal(templated.choices[0].message.content, 'Hello Ada');
    // The route's own config replaces the global one: the global template is not known there.
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'strict', template: 'summarize', variables: { text: 'x' } }), 400, 'invalid_request_error', 'template_not_found');
  });

  it('a bad template config is refused at load with its path', async () => {
    await assert.rejects(
      startGateway(['plugins:', '  prompt-template:', '    templates:', '      t: { prompt: "Hi {{who}}", variables: {} }'].join('\n')),
      (error: unknown) => /prompt-template\.templates\.t\.variables.*\{\{who\}\}/s.test(String((error as { problems?: string[] }).problems ?? error)),
    );
    await assert.rejects(
      startGateway(['plugins:', '  prompt-template:', '    templates:', '      t: { prompt: "Hi {{n}}", variables: { n: { type: number, minimum: 10, maximum: 1 } } }'].join('\n')),
      (error: unknown) => /prompt-template\.templates\.t\.variables\.n\.maximum: below minimum 10/.test(String((error as { problems?: string[] }).problems ?? error)),
    );
  });
});
