// A response_format schema is the client's, and the answer it is checked against is the model's:
// neither may hold the gateway's one thread (every other caller's request waits meanwhile).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { assertOpenAIError, postJson, startChatStandIn } from '../../prompt-api/chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

const format = (schema: Record<string, unknown>) => ({ type: 'json_schema', json_schema: { name: 'answer', schema } });

/**
 * A request with `schema` whose answer is `answer`, and meanwhile a plain request of another
 * caller: how long each took. Without linear-time checking the first one's check holds the event
 * loop, and the plain request waits for it.
 */
async function timedWithBystander(gw: RunningGateway, schema: Record<string, unknown>): Promise<{ result: Awaited<ReturnType<typeof postJson>>; ms: number; bystanderMs: number }> {
  const started = performance.now();
  const pending = postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format(schema) }).then((result) => ({ result, ms: performance.now() - started }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const bystanderStarted = performance.now();
  const bystander = await postJson(`${gw.baseURL}/chat/completions`, { model: 'echo/x', messages: [{ role: 'user', content: 'ping' }] });
  const bystanderMs = performance.now() - bystanderStarted;
  assert.equal(bystander.status, 200);
  return { ...(await pending), bystanderMs };
}

describe('output-validation: client schemas cannot stall the gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let answers: string[] = [];

  before(async () => {
    upstream = await startChatStandIn(() => answers);
    gw = await startGateway([
      'providers:',
      `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
      'routes:',
      '  - match: { model: "tight" }',
      '    model: upstream/m',
      '    plugins: { output-validation: { max_compile_ms: 1 } }',
      // The same schema with room to compile on a loaded machine (the default 200 ms was passed in a CI-like run).
      '  - match: { model: "roomy" }',
      '    model: upstream/m',
      '    plugins: { output-validation: { max_compile_ms: 10000 } }',
      'plugins:',
      '  output-validation: {}',
    ].join('\n'));
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  // A backtracking engine takes ~2^n steps for `^(a+)+$` against n a's and a '!': seconds at 28.
  it('pattern: `^(a+)+$` against "aaa…a!" is answered at once (RE2), and a bystander is not held up', async () => {
    answers = [JSON.stringify({ a: `${'a'.repeat(30)}!` })];
    const { result, ms, bystanderMs } = await timedWithBystander(gw, { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } });
    assert.match(assertOpenAIError(result, 502, 'upstream_error', 'output_validation_failed'), /at '\/a': must match pattern/);
    assert.ok(ms < 1500 && bystanderMs < 1500, `the check took ${ms.toFixed(0)} ms, the bystander ${bystanderMs.toFixed(0)} ms`);
    answers = [JSON.stringify({ a: 'a'.repeat(30) })];
    assert.equal((await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format({ type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }) })).status, 200);
  });

  it('patternProperties and additionalProperties patterns run in RE2 too', async () => {
    answers = [JSON.stringify({ [`${'a'.repeat(30)}!`]: 1 })];
    const { result, ms, bystanderMs } = await timedWithBystander(gw, { type: 'object', patternProperties: { '^(a+)+$': { type: 'integer' } }, additionalProperties: false });
    assert.match(assertOpenAIError(result, 502, 'upstream_error', 'output_validation_failed'), /must NOT have additional properties/);
    assert.ok(ms < 1500 && bystanderMs < 1500, `the check took ${ms.toFixed(0)} ms, the bystander ${bystanderMs.toFixed(0)} ms`);
  });

  it('a pattern RE2 cannot run (lookahead, backreference) is a 400 naming where it is, before the provider is called', async () => {
    const calls = upstream.requests.length;
    const lookahead = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format({ type: 'object', properties: { code: { type: 'string', pattern: '^(?=.*[0-9])[a-z0-9]+$' } } }) });
    const message = assertOpenAIError(lookahead, 400, 'invalid_request_error', 'unsupported_value');
    assert.match(message, /the pattern at '\/properties\/code\/pattern' uses lookahead/);
    assert.equal(lookahead.json.error.param, 'response_format');
    const backreference = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format({ type: 'object', patternProperties: { '^(a)\\1$': {} } }) });
    assert.match(assertOpenAIError(backreference, 400, 'invalid_request_error', 'unsupported_value'), /'\/patternProperties\/\^\(a\)\\1\$' uses a backreference/);
    assert.equal(upstream.requests.length, calls, 'the provider was not called');
    // A stream is not checked, so its schema is not refused either.
    const stream = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: 'hi' }], response_format: format({ properties: { a: { pattern: '(?=a)' } } }) }) });
    assert.equal(stream.status, 200);
    await stream.text();
  });

  // Twenty-five levels of `anyOf` of two refs to the next: 2^25 paths to a failure whatever the
  // answer. Compiling it includes one check (of `{}`), which runs out of time: it is not used.
  it('a schema whose every check takes exponential time is not used: its answers pass unchecked, fast', async () => {
    const defs: Record<string, unknown> = { a25: { type: 'string' } };
    for (let level = 0; level < 25; level++) defs[`a${level}`] = { anyOf: [{ $ref: `#/$defs/a${level + 1}` }, { $ref: `#/$defs/a${level + 1}` }] };
    answers = ['1'];
    const { result, ms, bystanderMs } = await timedWithBystander(gw, { $defs: defs, $ref: '#/$defs/a0' });
    assert.equal(result.status, 200);
    assert.ok(ms < 1500 && bystanderMs < 1500, `the check took ${ms.toFixed(0)} ms, the bystander ${bystanderMs.toFixed(0)} ms`);
  });

  // Arrays whose items are `anyOf` of two refs to the whole: 2^depth paths for an answer nested 25 deep.
  it('an answer whose check takes exponential time is stopped: it fails as not checked, fast', async () => {
    answers = [`${'['.repeat(25)}1${']'.repeat(25)}`];
    const { result, ms, bystanderMs } = await timedWithBystander(gw, { type: 'array', items: { anyOf: [{ $ref: '#' }, { $ref: '#' }] } });
    assert.match(assertOpenAIError(result, 502, 'upstream_error', 'output_validation_failed'), /could not be checked against the schema \(checking it took longer than 50 ms\)/);
    assert.ok(ms < 1500 && bystanderMs < 1500, `the check took ${ms.toFixed(0)} ms, the bystander ${bystanderMs.toFixed(0)} ms`);
  });

  it('a schema that takes longer than max_compile_ms to compile is not used: its answers pass unchecked', async () => {
    const properties = Object.fromEntries(Array.from({ length: 400 }, (_, index) => [`field${index}`, { type: 'integer', minimum: index }]));
    answers = ['{"field1":"not a number"}'];
    const request = (model: string) => postJson(`${gw.baseURL}/chat/completions`, { model, messages: [{ role: 'user', content: 'x' }], response_format: format({ type: 'object', properties }) });
    assert.equal((await request('tight')).status, 200);
    assertOpenAIError(await request('roomy'), 502, 'upstream_error', 'output_validation_failed');
  });

  it('each schema is compiled on its own: two clients’ schemas with the same $id are both checked', async () => {
    answers = ['{"n":"seven"}'];
    const first = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format({ $id: 'https://example.com/shared.json', type: 'object', properties: { n: { type: 'integer' } } }) });
    assert.match(assertOpenAIError(first, 502, 'upstream_error', 'output_validation_failed'), /must be integer/);
    answers = ['{"n":7}'];
    const second = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format({ $id: 'https://example.com/shared.json', type: 'object', properties: { n: { type: 'string' } } }) });
    assert.match(assertOpenAIError(second, 502, 'upstream_error', 'output_validation_failed'), /must be string/);
  });

  it('formats (email, date-time, uuid) and 2019-09/2020-12 keywords (dependentRequired, prefixItems) are checked; draft-07 tuples still are', async () => {
    const ask = (schema: Record<string, unknown>, answer: unknown) => {
      answers = [JSON.stringify(answer)];
      return postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: format(schema) });
    };
    const contact = { type: 'object', properties: { e: { type: 'string', format: 'email' }, at: { type: 'string', format: 'date-time' }, id: { type: 'string', format: 'uuid' } } };
    assert.match(assertOpenAIError(await ask(contact, { e: 'not an email' }), 502, 'upstream_error', 'output_validation_failed'), /at '\/e': must match format "email"/);
    assert.match(assertOpenAIError(await ask(contact, { at: 'yesterday' }), 502, 'upstream_error', 'output_validation_failed'), /must match format "date-time"/);
    assert.equal((await ask(contact, { e: 'ana@example.com', at: '2025-01-02T03:04:05Z', id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' })).status, 200);
    assert.match(assertOpenAIError(await ask({ dependentRequired: { a: ['b'] } }, { a: 1 }), 502, 'upstream_error', 'output_validation_failed'), /must have property b when property a is present/);
    assert.match(assertOpenAIError(await ask({ type: 'array', prefixItems: [{ type: 'string' }], items: false }, ['a', 'b']), 502, 'upstream_error', 'output_validation_failed'), /must NOT have more than 1 items/);
    assert.match(assertOpenAIError(await ask({ type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }, ['a', 'b']), 502, 'upstream_error', 'output_validation_failed'), /at '\/1': must be integer/);
    assert.match(assertOpenAIError(await ask({ $schema: 'http://json-schema.org/draft-07/schema#', dependencies: { a: ['b'] } }, { a: 1 }), 502, 'upstream_error', 'output_validation_failed'), /must have property b when property a is present/);
  });
});
