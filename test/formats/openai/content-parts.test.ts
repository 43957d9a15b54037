// Content parts are checked before any plugin reads them (formats/openai/parse-request.ts), as OpenAI
// checks them: a part that is not an object, has no or an unknown `type`, or a field of the wrong
// type is a 400 naming it (`messages[0].content[0].text`), never the guardrails' 500 (the
// security-2 audit: `content: [null]` and a text part without a string `text` were 500 internal_error
// on routes with pii, prompt-guard or content-rules), and the provider is not called.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { assertOpenAIError, postJson, startChatStandIn } from '../../prompt-api/chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

describe('malformed content parts on /v1/chat/completions, with and without guardrails', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startChatStandIn();
    gw = await startGateway(
      [
        'providers:',
        `  up: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m1] }`,
        'routes:',
        '  - { match: { model: "g-none" }, model: up/m1 }',
        '  - { match: { model: "g-pii" }, model: up/m1, plugins: { pii: { request: mask, response: redact } } }',
        '  - { match: { model: "g-guard" }, model: up/m1, plugins: { prompt-guard: { action: block } } }',
        '  - { match: { model: "g-rules" }, model: up/m1, plugins: { content-rules: { blocked_terms: ["project falcon"], max_characters: 10000 } } }',
        '  - { match: { model: "g-echo" }, model: echo/x }',
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const routes = ['g-none', 'g-pii', 'g-guard', 'g-rules'];
  const post = (model: string, content: unknown, role = 'user') => postJson(`${gw.baseURL}/chat/completions`, { model, messages: [{ role: 'system', content: 'Be brief.' }, { role, content }] });

  // [content, code, param (of messages[1]), what the message says]
  const refused: Array<[unknown, string, string, RegExp]> = [
    [[null], 'invalid_type', 'content[0]', /expected an object/],
    [['hi'], 'invalid_type', 'content[0]', /expected an object/],
    [[[{ type: 'text', text: 'hi' }]], 'invalid_type', 'content[0]', /expected an object/],
    [[{ text: 'hi' }], 'missing_required_parameter', 'content[0].type', /Missing required parameter/],
    [[{ type: 7, text: 'hi' }], 'invalid_type', 'content[0].type', /expected a string/],
    [[{ type: 'input_text', text: 'hi' }], 'invalid_value', 'content[0].type', /Invalid value: 'input_text'\. Supported values are: 'text', 'image_url', 'input_audio', 'file' and 'refusal'/],
    [[{ type: 'text' }], 'missing_required_parameter', 'content[0].text', /Missing required parameter/],
    [[{ type: 'text', text: null }], 'invalid_type', 'content[0].text', /expected a string/],
    [[{ type: 'text', text: 123 }], 'invalid_type', 'content[0].text', /expected a string/],
    [[{ type: 'text', text: ['a'] }], 'invalid_type', 'content[0].text', /expected a string/],
    [[{ type: 'text', text: 'ok' }, { type: 'image_url' }], 'missing_required_parameter', 'content[1].image_url', /Missing required parameter/],
    [[{ type: 'image_url', image_url: 7 }], 'invalid_type', 'content[0].image_url', /expected an object/],
    [[{ type: 'image_url', image_url: {} }], 'missing_required_parameter', 'content[0].image_url.url', /Missing required parameter/],
    [[{ type: 'image_url', image_url: { url: 5 } }], 'invalid_type', 'content[0].image_url.url', /expected a string/],
    [[{ type: 'input_audio', input_audio: { data: 'AAAA' } }], 'missing_required_parameter', 'content[0].input_audio.format', /Missing required parameter/],
    [[{ type: 'file', file: null }], 'invalid_type', 'content[0].file', /expected an object/],
    [[{ type: 'file', file: { file_data: 42 } }], 'invalid_type', 'content[0].file.file_data', /expected a string/],
    [[{ type: 'refusal', refusal: null }], 'invalid_type', 'content[0].refusal', /expected a string/],
  ];

  for (const [content, code, param, message] of refused) {
    it(`refuses content ${JSON.stringify(content)} with 400 ${code} naming messages[1].${param}, on every route, before the provider`, async () => {
      const calls = upstream.requests.length;
      for (const model of routes) {
        const result = await post(model, content);
        assert.match(assertOpenAIError(result, 400, 'invalid_request_error', code), message, model);
        assert.equal(result.json.error.param, `messages[1].${param}`, model);
      }
      assert.equal(upstream.requests.length, calls, 'the provider was not called');
    });
  }

  it('refuses a malformed part of a system, assistant or tool message the same way', async () => {
    for (const role of ['system', 'developer', 'assistant', 'tool']) {
      const result = await post('g-rules', [null], role);
      assertOpenAIError(result, 400, 'invalid_request_error', 'invalid_type');
      assert.equal(result.json.error.param, 'messages[1].content[0]', role);
    }
  });

  // An assistant's tool calls and the tool definitions, which the guardrails read too.
  const history = (toolCalls: unknown) => [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: toolCalls }, { role: 'tool', tool_call_id: 'a', content: 'ok' }];
  const malformedTools: Array<[Record<string, unknown>, string, string]> = [
    [{ messages: history('x') }, 'invalid_type', 'messages[1].tool_calls'],
    [{ messages: history({}) }, 'invalid_type', 'messages[1].tool_calls'],
    [{ messages: history([null]) }, 'invalid_type', 'messages[1].tool_calls[0]'],
    [{ messages: history([{ id: 'a', type: 'function' }]) }, 'missing_required_parameter', 'messages[1].tool_calls[0].function'],
    [{ messages: history([{ id: 'a', type: 'function', function: null }]) }, 'invalid_type', 'messages[1].tool_calls[0].function'],
    [{ messages: history([{ id: 'a', type: 'function', function: { name: 'f', arguments: { a: 1 } } }]) }, 'invalid_type', 'messages[1].tool_calls[0].function.arguments'],
    [{ messages: history([{ id: 'a', type: 'function', function: { arguments: '{}' } }]) }, 'missing_required_parameter', 'messages[1].tool_calls[0].function.name'],
    [{ messages: [{ role: 'user', content: 'hi' }], tools: [null] }, 'invalid_type', 'tools[0]'],
    [{ messages: [{ role: 'user', content: 'hi' }], tools: 'x' }, 'invalid_type', 'tools'],
    [{ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: null }] }, 'invalid_type', 'tools[0].function'],
    [{ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { description: 'x' } }] }, 'missing_required_parameter', 'tools[0].function.name'],
    [{ messages: [{ role: 'user', content: 'hi' }], functions: [null] }, 'invalid_type', 'functions[0]'],
  ];
  for (const [body, code, param] of malformedTools) {
    it(`refuses ${JSON.stringify(body).slice(0, 150)} with 400 ${code} naming ${param}, on every route`, async () => {
      const calls = upstream.requests.length;
      for (const model of routes) {
        const result = await postJson(`${gw.baseURL}/chat/completions`, { model, ...body });
        assertOpenAIError(result, 400, 'invalid_request_error', code);
        assert.equal(result.json.error.param, param, model);
      }
      assert.equal(upstream.requests.length, calls, 'the provider was not called');
    });
  }

  it("takes Mistral's image_url shorthand (a plain URL string): the client's bytes go up as sent", async () => {
    const before = upstream.requests.length;
    const result = await post('g-none', [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: 'https://example.com/cat.png' }]);
    assert.equal(result.status, 200, JSON.stringify(result.json));
    const sent = upstream.bodies()[before] as { messages: Array<{ content: Array<{ image_url?: unknown }> }> };
    assert.equal(sent.messages[1].content[1].image_url, 'https://example.com/cat.png');
    assertOpenAIError(await post('g-none', [{ type: 'image_url', image_url: 42 }]), 400, 'invalid_request_error', 'invalid_type');
  });

  it("passes a part type of an OpenAI-compatible server's own (vLLM's video_url) on to it; one that carries text under another name is refused", async () => {
    const before = upstream.requests.length;
    const video = await post('g-pii', [{ type: 'text', text: 'What happens?' }, { type: 'video_url', video_url: { url: 'https://example.com/clip.mp4' } }]);
    assert.equal(video.status, 200, JSON.stringify(video.json));
    assert.equal(upstream.requests.length, before + 1);
    assertOpenAIError(await post('g-pii', [{ type: 'note', text: 'my email is jane@example.com' }]), 400, 'invalid_request_error', 'invalid_value');
  });

  it('refuses the legacy functions API (functions, function_call) to a provider of another format, naming the field; an OpenAI-format provider takes it as sent', async () => {
    const functions = [{ name: 'lookup', parameters: { type: 'object', properties: {} } }];
    const messages = [{ role: 'user', content: 'look it up' }];
    const passthrough = await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-none', messages, functions, function_call: 'auto' });
    assert.equal(passthrough.status, 200);
    const sent = upstream.requests.at(-1)!.json as { functions?: unknown; function_call?: unknown };
    assert.deepEqual([sent.functions, sent.function_call], [functions, 'auto']);
    for (const [body, param] of [
      [{ functions }, 'functions'],
      [{ functions, function_call: { name: 'lookup' } }, 'functions'],
      [{ function_call: 'none' }, 'function_call'],
    ] as const) {
      const translated = await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-echo', messages, ...body });
      assertOpenAIError(translated, 400, 'invalid_request_error', 'invalid_request');
      assert.equal((translated.json as { error: { param: string } }).error.param, param);
      assert.match((translated.json as { error: { message: string } }).error.message, /send 'tools' and 'tool_choice' instead/);
    }
  });

  it("takes GPT-5's custom tool calls back in the history (type custom, custom.name and custom.input), and refuses a malformed one", async () => {
    const custom = { id: 'call_1', type: 'custom', custom: { name: 'apply_patch', input: '*** Begin Patch' } };
    const messages = [{ role: 'user', content: 'fix it' }, { role: 'assistant', content: null, tool_calls: [custom] }, { role: 'tool', tool_call_id: 'call_1', content: 'done' }];
    const tools = [{ type: 'custom', custom: { name: 'apply_patch' } }];
    for (const model of routes) {
      const result = await postJson(`${gw.baseURL}/chat/completions`, { model, messages, tools });
      assert.equal(result.status, 200, `${model}: ${JSON.stringify(result.json)}`);
    }
    // A provider of another format has no custom tool call to map it to: a 400 naming it, not a 500.
    const translated = await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-echo', messages });
    assert.equal(assertOpenAIError(translated, 400, 'invalid_request_error', 'invalid_request') !== '', true);
    assert.equal((translated.json as { error: { param: string } }).error.param, 'messages[1].tool_calls[0]');
    // The guardrails read a custom call's input: pii rewrites it, content-rules refuses a blocked term in it.
    const secret = { ...custom, custom: { name: 'apply_patch', input: 'mail jane.doe@example.com about project falcon' } };
    const sentBefore = upstream.requests.length;
    const masked = await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-pii', messages: [messages[0], { ...messages[1], tool_calls: [secret] }, messages[2]], tools });
    assert.equal(masked.status, 200, JSON.stringify(masked.json));
    const sent = JSON.stringify(upstream.bodies()[sentBefore]);
    assert.ok(!sent.includes('jane.doe@example.com'), sent);
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-rules', messages: [messages[0], { ...messages[1], tool_calls: [secret] }, messages[2]], tools }), 400, 'invalid_request_error', 'content_policy_violation');
    const bad = { ...custom, custom: { name: 'apply_patch' } };
    assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-none', messages: [messages[0], { ...messages[1], tool_calls: [bad] }, messages[2]], tools }), 400, 'invalid_request_error', 'missing_required_parameter');
  });

  it('still serves tool calls without an id and tools of other types', async () => {
    const result = await postJson(`${gw.baseURL}/chat/completions`, {
      model: 'g-rules',
      messages: history([{ type: 'function', function: { name: 'f', arguments: '{"q":"x"}' } }]),
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }, { type: 'custom', custom: { name: 'g' } }],
    });
    assert.equal(result.status, 200, JSON.stringify(result.json));
  });

  it('still serves well-formed parts of every kind on every route, and the guardrails still read the text', async () => {
    const content = [
      { type: 'text', text: 'Describe ' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'file', file: { file_data: 'data:text/plain;base64,aGVsbG8=', filename: 'a.txt' } },
      { type: 'text', text: 'this.' },
    ];
    for (const model of routes) {
      const result = await post(model, content);
      assert.equal(result.status, 200, `${model}: ${JSON.stringify(result.json)}`);
    }
    const assistant = await postJson(`${gw.baseURL}/chat/completions`, { model: 'g-rules', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }, { role: 'user', content: [{ type: 'text', text: 'please' }] }] });
    assert.equal(assistant.status, 200, JSON.stringify(assistant.json));
    const blocked = await post('g-rules', [{ type: 'text', text: 'about project falcon' }]);
    assertOpenAIError(blocked, 400, 'invalid_request_error', 'content_policy_violation');
  });
});
