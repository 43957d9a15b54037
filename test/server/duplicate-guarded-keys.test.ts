import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import { guardedKeysOf, repeatedGuardedKey } from '../../src/server/duplicate-guarded-keys.ts';

// JSON.parse keeps the last of two equal keys, so every guardrail reads the last `messages`; a
// passthrough forwards the client's bytes, and a provider whose parser keeps the first would read
// text no guardrail saw (the security-2 audit, finding 3). A body that names a key the guardrails
// read twice is refused, as a second `model` is (test/core/duplicate-model-key.test.ts).

const blocked = 'Tell me about project falcon';

describe('a body naming a key the guardrails read twice', () => {
  let openai: StandIn;
  let anthropic: StandIn;
  let gw: RunningGateway;

  before(async () => {
    openai = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m1', 'ok')));
    });
    anthropic = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(anthropicMessage('ok', { input_tokens: 1, output_tokens: 1 })));
    });
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${openai.url}/v1", models: [m1] }
  claude: { type: anthropic, api_key: sk-ant-test, base_url: "${anthropic.url}", models: [claude-a] }
plugins:
  content-rules: { blocked_terms: ["project falcon"] }
`);
  });
  after(async () => {
    await gw.close();
    await openai.close();
    await anthropic.close();
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; error?: { code?: string; type?: string; param?: string; message: string } }> {
    const response = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const parsed = (await response.json()) as { error?: { code?: string; type?: string; param?: string; message: string } };
    return { status: response.status, error: parsed.error };
  }
  const anthropicHeaders = { 'anthropic-version': '2023-06-01' };

  it('the audit case: a blocked first "messages" and a harmless second one is refused 400 naming messages, the provider never called', async () => {
    const before = openai.requests.length;
    const single = await post('/v1/chat/completions', JSON.stringify({ model: 'up/m1', messages: [{ role: 'user', content: blocked }] }));
    assert.equal(single.error?.code, 'content_policy_violation');
    const twice = await post('/v1/chat/completions', `{"model":"up/m1","messages":[{"role":"user","content":${JSON.stringify(blocked)}}],"messages":[{"role":"user","content":"hi"}]}`);
    assert.equal(twice.status, 400);
    assert.deepEqual([twice.error?.type, twice.error?.code, twice.error?.param], ['invalid_request_error', 'invalid_request', 'messages']);
    assert.match(twice.error!.message, /'messages' more than once/);
    assert.equal(openai.requests.length, before, 'nothing reached the provider');
  });

  it('sees a second key spelled with escapes, and the other keys the guardrails read on chat: tools, functions', async () => {
    const user = '"messages":[{"role":"user","content":"hi"}]';
    for (const spelled of ['mess\\u0061ges', '\\u006d\\u0065ssages', 'messag\\u0065\\u0073']) {
      const refused = await post('/v1/chat/completions', `{"model":"up/m1","${spelled}":[{"role":"user","content":"x"}],${user}}`);
      assert.equal(refused.status, 400, spelled);
      assert.equal(refused.error?.param, 'messages', spelled);
    }
    const tool = '{"type":"function","function":{"name":"f"}}';
    assert.equal((await post('/v1/chat/completions', `{"model":"up/m1",${user},"tools":[${tool}],"tools":[]}`)).error?.param, 'tools');
    assert.equal((await post('/v1/chat/completions', `{"model":"up/m1",${user},"functions":[{"name":"f"}],"functions":[]}`)).error?.param, 'functions');
    assert.equal((await post('/v1/embeddings', '{"model":"up/m1","input":"a","input":"b"}')).error?.param, 'input');
    assert.equal((await post('/v1/completions', '{"model":"up/m1","prompt":"a","prompt":"b"}')).error?.param, 'prompt');
  });

  it('is refused on Anthropic Messages (messages, system, tools) in Anthropic\'s shape, and on Responses (input, instructions, tools)', async () => {
    const start = '{"model":"claude/claude-a","max_tokens":10';
    const messages = '"messages":[{"role":"user","content":"hi"}]';
    for (const [body, param] of [
      [`${start},${messages},${messages}}`, 'messages'],
      [`${start},"system":${JSON.stringify(blocked)},${messages},"system":"be brief"}`, 'system'],
      [`${start},${messages},"tools":[{"name":"f","input_schema":{"type":"object"}}],"tools":[]}`, 'tools'],
    ]) {
      const refused = await post('/v1/messages', body, anthropicHeaders);
      assert.equal(refused.status, 400, body);
      assert.equal(refused.error?.type, 'invalid_request_error', 'in Anthropic\'s error shape');
      assert.match(refused.error!.message, new RegExp(`'${param}' more than once`));
    }
    assert.equal(anthropic.requests.length, 0);
    for (const [body, param] of [
      ['{"model":"up/m1","input":"project falcon","input":"hi"}', 'input'],
      ['{"model":"up/m1","input":"hi","instructions":"project falcon","instructions":"be brief"}', 'instructions'],
      ['{"model":"up/m1","input":"hi","tools":[],"tools":[]}', 'tools'],
    ]) {
      const refused = await post('/v1/responses', body);
      assert.equal(refused.status, 400, body);
      assert.equal(refused.error?.param, param, body);
    }
  });

  it('leaves bodies naming each key once alone, nested and quoted ones included, forwarded as they came', async () => {
    const bodies = [
      '{"model":"m1","messages":[{"role":"user","content":"say \\"messages\\" and \\"tools\\" twice: \\"messages\\""}],"metadata":{"messages":"x"}}',
      '{"model":"m1","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"messages":{"type":"array"},"tools":{"enum":["tools","messages"]}}}}}]}',
      '{"model":"m1","messages":[{"role":"user","content":"\\u00e9t\\u00e9 and a pasted \\\\u0061"}],"user":"messages"}',
    ];
    for (const body of bodies) {
      const before = openai.requests.length;
      const answer = await post('/v1/chat/completions', body);
      assert.equal(answer.status, 200, `${body}: ${JSON.stringify(answer.error)}`);
      assert.equal(openai.requests.length, before + 1);
      assert.equal(openai.requests.at(-1)!.body, body, 'forwarded as it came');
    }
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

describe('repeatedGuardedKey, for any body', () => {
  const chat = guardedKeysOf('openai', 'chat')!;
  const name = fc.oneof(fc.constantFrom('messages', 'tools', 'functions', 'message', 'tool', 'model', 'x'), fc.string({ maxLength: 6 }));
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant(['messages', { tools: 'messages' }]));
  const members = fc.array(fc.tuple(name, value), { maxLength: 6 });

  it('names the first guarded key the top-level object has twice, however spelled, and nothing else', () => {
    fc.assert(
      fc.property(members, fc.func(fc.boolean()), fc.boolean(), (entries, escape, escapeNothing) => {
        const body = write(entries, escapeNothing ? () => false : (index) => escape(index));
        JSON.parse(body);
        const seen = new Set<string>();
        let expected: string | null = null;
        for (const [key] of entries) {
          if (!chat.names.has(key)) continue;
          if (seen.has(key)) {
            expected = key;
            break;
          }
          seen.add(key);
        }
        assert.equal(repeatedGuardedKey(Buffer.from(body), chat), expected, body);
      }),
      { numRuns: 3000 },
    );
  });

  it('guards the keys of each endpoint', () => {
    assert.deepEqual([...guardedKeysOf('anthropic', 'chat')!.names], ['messages', 'system', 'tools']);
    assert.deepEqual([...guardedKeysOf('openai-responses', 'chat')!.names], ['input', 'instructions', 'tools']);
    assert.equal(repeatedGuardedKey(Buffer.from('{"messages":[],"messages":[]}'), guardedKeysOf('openai-responses', 'chat')!), null, 'not a key Responses reads');
  });
});
