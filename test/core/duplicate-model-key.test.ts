import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import fc from 'fast-check';
import { namesModelTwice } from '../../src/server/duplicate-model-key.ts';

// JSON.parse keeps the last of two equal keys, and the gateway checks, routes and prices that
// `model`; a passthrough forwards the client's bytes as they came, and a provider whose parser keeps
// the first would serve that one. Such a body is refused before anything else looks at it.

const key = 'tg-only-m1-0123456789abcdef';
const user = '"messages":[{"role":"user","content":"hi"}]';

describe('a body with the top-level "model" key twice', () => {
  let openai: StandIn;
  let anthropic: StandIn;
  let gw: RunningGateway;

  before(async () => {
    openai = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m1', 'ok')));
    });
    anthropic = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(anthropicMessage('ok', { input_tokens: 1, output_tokens: 1 })));
    });
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${openai.url}/v1", models: [m1, m2] }
  claude: { type: anthropic, api_key: sk-ant-test, base_url: "${anthropic.url}", models: [claude-a, claude-b] }
plugins: { key-auth: { keys: [{ key: ${key}, consumer: app, models: [m1, claude-a] }] } }
`);
  });
  after(async () => {
    await gw.close();
    await openai.close();
    await anthropic.close();
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; error: { code?: string; type?: string; param?: string; message: string } }> {
    const response = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body });
    const parsed = (await response.json()) as { error: { code?: string; type?: string; param?: string; message: string } };
    return { status: response.status, error: parsed.error };
  }

  it('is refused with 400 naming the field when the raw bytes would go upstream as they came (the audit case), the provider never called', async () => {
    const before = openai.requests.length;
    // The key may use m1 only; a first-key parser upstream would serve m2.
    const refused = await post('/v1/chat/completions', `{"model":"m2",${user},"model":"m1"}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.error.code, 'invalid_request');
    assert.equal(refused.error.param, 'model');
    assert.match(refused.error.message, /'model' more than once/);
    assert.equal(openai.requests.length, before, 'nothing reached the provider');
    // The same with the model renamed on the way (up/m1 → m1) and when both name the allowed model.
    assert.equal((await post('/v1/chat/completions', `{"model":"up/m2",${user},"model":"up/m1"}`)).status, 400);
    assert.equal((await post('/v1/chat/completions', `{"model":"m1","model":"m1",${user}}`)).status, 400);
    assert.equal(openai.requests.length, before);
  });

  it('sees a second key spelled with escapes, as every JSON parser reads it', async () => {
    for (const spelled of ['mod\\u0065l', '\\u006d\\u006F\\u0064\\u0065\\u006C', 'm\\u006fdel']) {
      const refused = await post('/v1/chat/completions', `{"${spelled}":"m2",${user},"model":"m1"}`);
      assert.equal(refused.status, 400, spelled);
      assert.equal(refused.error.param, 'model', spelled);
    }
  });

  it('is refused on the other JSON endpoints too: Anthropic Messages (a passthrough to Anthropic), count_tokens, Responses, embeddings', async () => {
    const anthropicHeaders = { 'anthropic-version': '2023-06-01' };
    const messages = await post('/v1/messages', `{"model":"claude-b","max_tokens":10,${user},"model":"claude-a"}`, anthropicHeaders);
    assert.equal(messages.status, 400);
    assert.equal(messages.error.type, 'invalid_request_error', 'in Anthropic\'s error shape');
    assert.match(messages.error.message, /'model' more than once/);
    assert.equal(anthropic.requests.length, 0);
    assert.equal((await post('/v1/messages/count_tokens', `{"model":"claude-b",${user},"model":"claude-a"}`, anthropicHeaders)).status, 400);
    assert.equal(anthropic.requests.length, 0);
    assert.equal((await post('/v1/responses', '{"model":"m2","input":"hi","model":"m1"}')).status, 400);
    assert.equal((await post('/v1/embeddings', '{"model":"m2","input":"hi","model":"m1"}')).status, 400);
  });

  it('leaves bodies with one top-level "model" alone: nested ones, the word in text, escapes in content', async () => {
    const bodies = [
      `{"model":"m1",${user},"tools":[{"type":"function","function":{"name":"pick","parameters":{"type":"object","properties":{"model":{"type":"string"}}}}}]}`,
      `{"metadata":{"model":"m2"},"model":"m1",${user}}`,
      '{"model":"m1","messages":[{"role":"user","content":"quote \\"model\\" and \\"model\\": \\u00e9t\\u00e9 \\u006d"}]}',
      '{"model":"m1","messages":[{"role":"user","content":"the \\"model"}],"user":"model"}',
    ];
    for (const body of bodies) {
      const before = openai.requests.length;
      const response = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
      assert.equal(response.status, 200, body);
      assert.equal(openai.requests.length, before + 1);
      assert.equal(openai.requests.at(-1)!.body, body, 'forwarded as it came');
    }
  });
});

describe('namesModelTwice', () => {
  it('finds only a second top-level key', () => {
    const twice = (text: string) => namesModelTwice(Buffer.from(text));
    assert.equal(twice('{"model":"a","model":"b"}'), true);
    assert.equal(twice('{ "model" : "a" , "x" : [ 1, {"model": 2} ] , "model" : "b" }'), true);
    assert.equal(twice('{"a":"\\\\","mod\\u0065l":"b","model":"c"}'), true);
    for (const spelled of ['\\u006dodel', '\\u006Dodel', 'm\\u006fdel', 'mo\\u0064el', 'mod\\u0065l', 'mode\\u006c', 'mode\\u006C']) {
      assert.equal(twice(`{"${spelled}":"a","x":1,"model":"b"}`), true, spelled);
      assert.equal(twice(`{"model":"a","x":[1,{"y":2}],"${spelled}":"b"}`), true, spelled);
    }
    assert.equal(twice('{"model":"a"}'), false);
    assert.equal(twice('{"x":{"model":"a"},"model":"b","y":["model","model"]}'), false);
    assert.equal(twice('{"x":"\\"model\\"","model":"a","z":"\\u006d"}'), false);
    assert.equal(twice('["model","model"]'), false);
    assert.equal(twice('["m\\\\"]'), false, 'a backslash at the end of a short body');
    assert.equal(twice('{"content":"pasted {\\"model\\": \\"x\\"} and \\"mod\\u0065l","model":"a"}'), false, 'JSON pasted into text');
    assert.equal(twice('{}'), false);
  });
});

/** The top-level object's members in order, duplicates allowed. */
type Members = Array<[string, unknown]>;

/** JSON text of `members` (as listed, duplicates kept), each character of a string escaped as \\uXXXX where `escape` says so. */
function write(members: Members, escape: (index: number) => boolean): string {
  let counter = 0;
  const text = (string: string) => `"${[...string].map((char) => (escape(counter++) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(char).slice(1, -1))).join('')}"`;
  const walk = (item: unknown): string => {
    if (Array.isArray(item)) return `[${item.map(walk).join(',')}]`;
    if (item !== null && typeof item === 'object') return `{${Object.entries(item).map(([name, member]) => `${text(name)}:${walk(member)}`).join(',')}}`;
    return typeof item === 'string' ? text(item) : JSON.stringify(item);
  };
  return `{${members.map(([name, member]) => `${text(name)}:${walk(member)}`).join(',')}}`;
}

describe('namesModelTwice, for any body', () => {
  const name = fc.oneof(fc.constantFrom('model', 'messages', 'mode', 'models', 'modelx', 'm', 'x'), fc.string({ maxLength: 6 }));
  // Values with "model" nested in them, as keys and as strings.
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant(['model', { model: 'model' }]));
  const members = fc.array(fc.tuple(name, value), { maxLength: 6 });

  it('is true exactly when the top-level object has two keys that read "model", however each is spelled', () => {
    fc.assert(
      fc.property(members, fc.func(fc.boolean()), fc.boolean(), (entries, escape, escapeNothing) => {
        const body = write(entries, escapeNothing ? () => false : (index) => escape(index));
        JSON.parse(body);
        const expected = entries.filter(([key]) => key === 'model').length > 1;
        assert.equal(namesModelTwice(Buffer.from(body)), expected, body);
      }),
      { numRuns: 3000 },
    );
  });
});
