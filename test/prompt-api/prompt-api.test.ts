import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ledgerRecord } from '../formats/openai-responses/ledger-record.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { assertOpenAIError, postJson, startChatStandIn } from './chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;
const key = 'tg-prompt-api-key';
const auth = { authorization: `Bearer ${key}` };

describe('prompt APIs through the real gateway (plain HTTP)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let answers: string[] = [];

  before(async () => {
    upstream = await startChatStandIn(() => answers);
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { path: "/apis/limited" }',
        '    plugins: { rate-limit: { limits: [{ scope: global, requests: 1, per: minute }] } }',
        'pricing: { upstream: { "*": { input: 1, output: 2 } } }',
        'plugins:',
        `  key-auth: { keys: [{ key: ${key}, consumer: app }] }`,
        '  output-validation: {}',
        '  content-rules: { blocked_terms: [falcon] }',
        'apis:',
        '  - path: /apis/summarize',
        '    description: Summarize a text',
        '    model: echo/x',
        '    input:',
        '      type: object',
        '      properties: { text: { type: string, maxLength: 2000 }, words: { type: integer, minimum: 1, default: 30 } }',
        '      required: [text]',
        '      additionalProperties: false',
        '    prompt: "Summarize in {{words}} words: {{text}}"',
        '  - path: /apis/extract',
        '    model: upstream/m',
        '    input: { type: object, properties: { text: { type: string } }, required: [text] }',
        '    messages:',
        '      - { role: system, content: "Extract the city as JSON." }',
        '      - { role: user, content: "{{text}}" }',
        '    output:',
        '      mode: json',
        '      schema: { type: object, properties: { city: { type: string } }, required: [city], additionalProperties: false }',
        '    parameters: { temperature: 0, max_tokens: 100 }',
        '  - path: /apis/code',
        '    model: echo/x',
        '    input: { type: object, properties: { code: { type: string, pattern: "^([a-z]+)*$" } }, required: [code] }',
        '    prompt: "Explain {{code}}"',
        '  - path: /apis/limited',
        '    model: echo/x',
        '    prompt: "ping"',
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('text output: renders the prompt from the input (defaults filled) and answers {output, model, usage}', async () => {
    const result = await postJson(`${gw.url}/apis/summarize`, { text: 'The cat sat on the mat.' }, auth);
    assert.equal(result.status, 200, JSON.stringify(result.json));
    assert.equal(result.json.output, 'Summarize in 30 words: The cat sat on the mat.');
    assert.equal(result.json.model, 'x');
    assert.equal(result.json.finish_reason, 'stop');
    assert.ok(result.json.usage.total_tokens > 0);
    assert.ok(result.headers.get('x-request-id'));
    assert.equal(result.headers.get('x-tollgate-provider'), 'echo');
    assert.equal(result.headers.get('content-type'), 'application/json');
  });

  it('input values are inserted once: template syntax in a value stays literal', async () => {
    const result = await postJson(`${gw.url}/apis/summarize`, { text: 'hi {{words}} {{text}}', words: 5 }, auth);
    assert.equal(result.json.output, 'Summarize in 5 words: hi {{words}} {{text}}');
  });

  it('input that does not match the schema: 400 invalid_api_input naming the field, never the value', async () => {
    const missing = await postJson(`${gw.url}/apis/summarize`, {}, auth);
    assert.match(assertOpenAIError(missing, 400, 'invalid_request_error', 'invalid_api_input'), /must have required property 'text'/);
    const wrong = await postJson(`${gw.url}/apis/summarize`, { text: 'x', words: 'many-words-value' }, auth);
    assert.match(assertOpenAIError(wrong, 400, 'invalid_request_error', 'invalid_api_input'), /at '\/words': must be integer/);
    assert.equal(wrong.json.error.param, 'words');
    assert.doesNotMatch(wrong.json.error.message, /many-words-value/);
    assertOpenAIError(await postJson(`${gw.url}/apis/summarize`, { text: 'x', extra: 1 }, auth), 400, 'invalid_request_error', 'invalid_api_input');
    assertOpenAIError(await postJson(`${gw.url}/apis/summarize`, '{not json', auth), 400, 'invalid_request_error', 'invalid_json');
  });

  it('authentication and guardrails apply like any chat call', async () => {
    const unauthenticated = await postJson(`${gw.url}/apis/summarize`, { text: 'x' });
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.json.error.type, 'authentication_error');
    assertOpenAIError(await postJson(`${gw.url}/apis/summarize`, { text: 'about Falcon' }, auth), 400, 'invalid_request_error', 'content_policy_violation');
  });

  it('limits apply: a route matching the API path limits it', async () => {
    assert.equal((await postJson(`${gw.url}/apis/limited`, {}, auth)).status, 200);
    const limited = await postJson(`${gw.url}/apis/limited`, {}, auth);
    assert.equal(limited.status, 429, JSON.stringify(limited.json));
    assert.equal(limited.json.error.type, 'rate_limit_error');
  });

  it('wrong method 405, unknown API 404', async () => {
    const get = await fetch(`${gw.url}/apis/summarize`, { headers: auth });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal(((await get.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
    assertOpenAIError(await postJson(`${gw.url}/apis/nope`, {}, auth), 404, 'invalid_request_error', 'unknown_url');
  });

  it('json output: valid answer parsed; exact upstream request with response_format json_schema', async () => {
    answers = ['{"city":"Lyon"}'];
    const before = upstream.requests.length;
    const result = await postJson(`${gw.url}/apis/extract`, { text: 'I live in Lyon.' }, auth);
    assert.equal(result.status, 200, JSON.stringify(result.json));
    assert.deepEqual(result.json.output, { city: 'Lyon' });
    assert.deepEqual(result.json.usage, { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    assert.equal(upstream.requests.length, before + 1);
    const sent = upstream.bodies()[before];
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'Extract the city as JSON.' },
      { role: 'user', content: 'I live in Lyon.' },
    ]);
    assert.equal(sent.model, 'm');
    assert.equal(sent.temperature, 0);
    assert.equal(sent.max_tokens, 100);
    assert.equal(sent.stream, false);
    assert.deepEqual(sent.response_format, { type: 'json_schema', json_schema: { name: 'extract', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } } });
  });

  it('json output: invalid JSON first, one automatic retry with the correction, usage of both calls', async () => {
    answers = ['The city is Lyon.', '```json\n{"city":"Lyon"}\n```'];
    const before = upstream.requests.length;
    const result = await postJson(`${gw.url}/apis/extract`, { text: 'I live in Lyon.' }, auth);
    assert.equal(result.status, 200, JSON.stringify(result.json));
    assert.deepEqual(result.json.output, { city: 'Lyon' });
    assert.equal(result.headers.get('x-tollgate-output-retries'), '1');
    assert.deepEqual(result.json.usage, { prompt_tokens: 22, completion_tokens: 14, total_tokens: 36 });
    assert.equal(upstream.requests.length, before + 2);
    // The cost is both calls' too (11 prompt and 7 completion tokens each at $1/$2 a million), as the ledger has it.
    assert.equal(result.headers.get('x-tollgate-cost-usd'), '0.00005');
    const retry = upstream.bodies()[before + 1];
    assert.equal(retry.messages.length, 4);
    assert.deepEqual(retry.messages[2], { role: 'assistant', content: 'The city is Lyon.' });
    assert.equal(retry.messages[3].role, 'user');
    assert.match(String(retry.messages[3].content), /not valid: it is not JSON/);
  });

  it('json output: still invalid after the retry is 502 output_validation_failed', async () => {
    answers = ['{"town":"Lyon"}'];
    const before = upstream.requests.length;
    const result = await postJson(`${gw.url}/apis/extract`, { text: 'I live in Lyon.' }, { ...auth, 'x-request-id': 'still-invalid' });
    assert.match(assertOpenAIError(result, 502, 'upstream_error', 'output_validation_failed'), /must have required property 'city'/);
    assert.equal(upstream.requests.length, before + 2);
    // Both calls are billed; the last one's record has the status the client got.
    const first = await ledgerRecord(gw, 'still-invalid');
    const retry = await ledgerRecord(gw, 'still-invalid-retry');
    assert.deepEqual([first.status, first.error_code], [200, null]);
    assert.deepEqual([retry.status, retry.error_code], [502, 'output_validation_failed']);
    assert.ok(retry.input_tokens > 0);
    assert.equal(Number(result.headers.get('x-tollgate-cost-usd')), first.cost_usd + retry.cost_usd);
    assert.equal(result.headers.get('x-tollgate-cost-usd'), '0.00005');
  });

  // `^([a-z]+)*$` backtracks exponentially on "aaa…a!" in V8's engine: seconds at 28 characters.
  it('input patterns (the operator’s) run in linear time against the caller’s input', async () => {
    const started = performance.now();
    const result = await postJson(`${gw.url}/apis/code`, { code: `${'a'.repeat(30)}!` }, auth);
    const ms = performance.now() - started;
    assert.match(assertOpenAIError(result, 400, 'invalid_request_error', 'invalid_api_input'), /Invalid input at '\/code': must match pattern/);
    assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms`);
    assert.equal((await postJson(`${gw.url}/apis/code`, { code: 'abc' }, auth)).status, 200);
  });

  it('GET /apis/openapi.json describes every prompt API', async () => {
    const response = await fetch(`${gw.url}/apis/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, { post: any }> };
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths).sort(), ['/apis/code', '/apis/extract', '/apis/limited', '/apis/summarize']);
    const summarize = document.paths['/apis/summarize'].post;
    assert.equal(summarize.summary, 'Summarize a text');
    assert.equal(summarize.requestBody.content['application/json'].schema.required[0], 'text');
    assert.equal(summarize.responses['200'].content['application/json'].schema.properties.output.type, 'string');
    assert.equal(document.paths['/apis/extract'].post.responses['200'].content['application/json'].schema.properties.output.required[0], 'city');
    assert.ok(summarize.responses['400'] && summarize.responses['502']);
    const post = await fetch(`${gw.url}/apis/openapi.json`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${gw.url}/apis/openapi.json`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type')?.startsWith('application/json'), true);
  });
});

describe('prompt API config is validated at load', () => {
  const load = (apis: string[]) => startGateway(['apis:', ...apis].join('\n'));
  const problems = (error: unknown) => String((error as { problems?: string[] }).problems ?? error);

  it('placeholders must be input properties; paths under /apis/ and unique; schemas must compile', async () => {
    await assert.rejects(load(['  - { path: /apis/a, model: echo/x, input: { type: object, properties: { a: { type: string } } }, prompt: "{{b}}" }']), (error) => /apis\[0\]\.prompt.*\{\{b\}\}/s.test(problems(error)));
    await assert.rejects(load(['  - { path: /v1/x, model: echo/x, prompt: hi }']), (error) => /apis\[0\]\.path/.test(problems(error)));
    await assert.rejects(load(['  - { path: /apis/a, model: echo/x, prompt: hi }', '  - { path: /apis/a, model: echo/x, prompt: ho }']), (error) => /another API already uses/.test(problems(error)));
    await assert.rejects(load(['  - { path: /apis/a, model: echo/x, prompt: hi, input: { type: 12 } }']), (error) => /apis\[0\]\.input.*not a valid JSON Schema/s.test(problems(error)));
    await assert.rejects(load(['  - { path: /apis/a, model: echo/x, prompt: hi, parameters: { messages: [] } }']), (error) => /set by the prompt API/.test(problems(error)));
    await assert.rejects(load(['  - { path: /apis/a, model: echo/x, prompt: hi, output: { mode: json, schema: { properties: { a: { pattern: "(?=x)" } } } } }']), (error) => /apis\[0\]\.output\.schema: not usable: the pattern at '\/properties\/a\/pattern' uses lookahead/.test(problems(error)));
  });

  it('the model must name something a request could call, unless a route on the path picks one', async () => {
    await assert.rejects(load(['  - { path: /apis/a, model: gpt-nothing, prompt: hi }']), (error) => /apis\[0\]\.model: "gpt-nothing" names no model group/.test(problems(error)));
    await assert.rejects(load(['  - { path: /apis/a, model: nobody/x, prompt: hi }']), (error) => /apis\[0\]\.model/.test(problems(error)));
    const routed = await startGateway(['apis:', '  - { path: /apis/a, model: placeholder, prompt: "say {{x}}", input: { type: object, properties: { x: { type: string } } } }', 'routes:', '  - { match: { path: /apis/* }, model: echo/routed }'].join('\n'));
    try {
      const response = await fetch(`${routed.url}/apis/a`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'hello' }) });
      const answer = (await response.json()) as { output: string; model: string };
      assert.equal(response.status, 200);
      assert.equal(answer.output, 'say hello');
    } finally {
      await routed.close();
    }
  });
});
